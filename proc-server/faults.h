/*
 * Faults of processes: a bad pointer handed to the runtime becomes -EFAULT;
 * anything else kills the process with the signal Linux would send.
 */
#ifndef PROC_SERVER_FAULTS_H
#define PROC_SERVER_FAULTS_H

#include "process.h"
#include "requests.h"

/* Handles a fault message; returns true if the thread is to be resumed
 * with the registers in *regs (the reply is then the caller's job). */
bool faults_handle(process_t *proc, const request_t *fault, user_regs_t *regs);

#endif
