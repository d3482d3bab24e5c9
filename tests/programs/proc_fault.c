/*
 * A process that faults: proc-server kills it with SIGSEGV and says so;
 * nothing else is disturbed.
 */
int main(void)
{
    volatile int *nowhere = (volatile int *)0x10000000;
    *nowhere = 1;
    return 0;
}
