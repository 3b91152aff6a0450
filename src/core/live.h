/* The set of open handles. Every handle call first proves its handle is in
 * the set, without touching the handle's memory, so a closed, foreign or
 * garbage pointer is refused instead of dereferenced; a handle cannot be
 * freed while a call on it is in flight. The lock guards only the set and
 * is never held across I/O. */
#ifndef AR_CORE_LIVE_H
#define AR_CORE_LIVE_H

/* Adds an open handle. Returns 0, or -1 when out of memory. */
int ar_live_add(const void *handle);
/* 1 and the handle pinned (call ar_live_release) when it is open; 0 when it
 * is not (never opened, closed, or being closed). */
int ar_live_acquire(const void *handle);
void ar_live_release(const void *handle);
/* Stops new calls, waits for the ones in flight, forgets the handle.
 * Returns 1 when it was open (the caller then frees it), 0 otherwise, so a
 * second close is a no-op. */
int ar_live_remove(const void *handle);

#endif
