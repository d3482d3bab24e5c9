/*
 * `runc spec`: the default config.json, one Capsule can run as it is.
 */
#ifndef RUNC_SPEC_H
#define RUNC_SPEC_H

/* The default config as JSON text (a static string). */
const char *spec_default(void);

#endif
