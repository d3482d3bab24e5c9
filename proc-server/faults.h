/*
 * Faults of processes: a stack page not mapped yet is mapped, a bad pointer
 * handed to the runtime becomes -EFAULT; anything else kills the process with the signal Linux
 * would send.
 */
#ifndef PROC_SERVER_FAULTS_H
#define PROC_SERVER_FAULTS_H

#include "process.h"
#include "requests.h"

/* A fault proc-server can mend without the program noticing: a page of the
 * stack not mapped yet (stack.h). True if it did; the thread is then
 * resumed where it stopped. */
bool faults_resolve(process_t *proc, const request_t *fault);

/* Handles a fault message; returns true if the thread is to be resumed
 * with the registers in *regs (the reply is then the caller's job). */
bool faults_handle(process_t *proc, const request_t *fault, user_regs_t *regs);

#endif
