/*
 * Built at test-build time as a static executable (musl and glibc, ET_EXEC
 * and static-PIE). test_elf checks it with the validator, then runs it on the
 * host and compares what Linux put in auxv with what the validator computed.
 */
#include <stdio.h>
#include <sys/auxv.h>

int main(void)
{
    printf("phdr %lx phnum %lu phent %lu entry %lx\n", getauxval(AT_PHDR), getauxval(AT_PHNUM),
           getauxval(AT_PHENT), getauxval(AT_ENTRY));
    return 0;
}
