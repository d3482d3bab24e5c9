/* Reporting of benchmark results, one parseable line per benchmark. */
#include "measure.h"

#include "capsule/print.h"

static void sort(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++) {
        uint64_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

void measurement_report(measurement_t *m)
{
    sort(m->per_iteration, BATCHES);
    print("bench: %s median %lu min %lu max %lu unit cycles iterations %lu\n", m->name,
          m->per_iteration[BATCHES / 2], m->per_iteration[0], m->per_iteration[BATCHES - 1],
          m->iterations * BATCHES);
}
