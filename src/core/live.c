#include "core/live.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

/* An open-addressing hash set keyed by the pointer value itself. */
struct slot {
  uintptr_t key; /* 0: empty; TOMBSTONE: removed */
  unsigned int inflight;
  int closing;
};

#define TOMBSTONE ((uintptr_t)1)
#define MIN_CAP 16

/* Statically initialised: the plugin has no constructors. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drained = PTHREAD_COND_INITIALIZER;
static struct slot *slots;
static size_t cap;  /* a power of two, or 0 */
static size_t used; /* live entries */
static size_t dead; /* tombstones */

static size_t hash(uintptr_t key)
{
  /* Handles are malloc'd: the low bits carry no information. */
  uint64_t x = (uint64_t)key >> 4;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static struct slot *find(uintptr_t key)
{
  if(!cap)
    return NULL;
  for(size_t i = hash(key) & (cap - 1);; i = (i + 1) & (cap - 1)) {
    if(slots[i].key == key)
      return &slots[i];
    if(slots[i].key == 0)
      return NULL;
  }
}

static int rehash(size_t new_cap)
{
  struct slot *fresh = calloc(new_cap, sizeof(*fresh));
  if(!fresh)
    return -1;
  for(size_t i = 0; i < cap; i++) {
    if(slots[i].key <= TOMBSTONE)
      continue;
    size_t j = hash(slots[i].key) & (new_cap - 1);
    while(fresh[j].key)
      j = (j + 1) & (new_cap - 1);
    fresh[j] = slots[i];
  }
  free(slots);
  slots = fresh;
  cap = new_cap;
  dead = 0;
  return 0;
}

int ar_live_add(const void *handle)
{
  uintptr_t key = (uintptr_t)handle;
  int rc = 0;
  pthread_mutex_lock(&lock);
  if((used + dead + 1) * 2 > cap) {
    size_t want = cap ? cap : MIN_CAP;
    while((used + 1) * 2 > want)
      want *= 2;
    rc = rehash(want);
  }
  if(rc == 0) {
    size_t i = hash(key) & (cap - 1);
    while(slots[i].key > TOMBSTONE)
      i = (i + 1) & (cap - 1);
    if(slots[i].key == TOMBSTONE)
      dead--;
    slots[i] = (struct slot){ key, 0, 0 };
    used++;
  }
  pthread_mutex_unlock(&lock);
  return rc;
}

int ar_live_acquire(const void *handle)
{
  if(!handle)
    return 0;
  pthread_mutex_lock(&lock);
  struct slot *s = find((uintptr_t)handle);
  int live = s && !s->closing;
  if(live)
    s->inflight++;
  pthread_mutex_unlock(&lock);
  return live;
}

void ar_live_release(const void *handle)
{
  pthread_mutex_lock(&lock);
  struct slot *s = find((uintptr_t)handle);
  if(s && --s->inflight == 0 && s->closing)
    pthread_cond_broadcast(&drained);
  pthread_mutex_unlock(&lock);
}

int ar_live_remove(const void *handle)
{
  if(!handle)
    return 0;
  uintptr_t key = (uintptr_t)handle;
  pthread_mutex_lock(&lock);
  struct slot *s = find(key);
  if(!s || s->closing) {
    pthread_mutex_unlock(&lock);
    return 0;
  }
  s->closing = 1;
  /* The table may be rehashed while we wait, so look the slot up again. */
  while((s = find(key)) && s->inflight)
    pthread_cond_wait(&drained, &lock);
  s->key = TOMBSTONE;
  used--;
  dead++;
  if(used == 0) {
    /* Nothing open: give the memory back (and keep leak checkers quiet). */
    free(slots);
    slots = NULL;
    cap = dead = 0;
  }
  pthread_mutex_unlock(&lock);
  return 1;
}
