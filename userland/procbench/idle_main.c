/*
 * procbench-idle: only procbench's idle-container series
 * (container_idle.c), as init of procbench_idle.img, so that the creation
 * time by rank can be measured in a few minutes instead of the whole of
 * `make bench` (make bench-idle).
 */
#include <stdio.h>

#include "container_idle.h"

int main(void)
{
    if (measure_idle_containers() != 0) {
        return 1;
    }
    printf("procbench: done\n");
    return 0;
}
