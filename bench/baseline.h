/* The two baselines, in plain libcurl against the same registry:
 *
 *  floor: one kept-alive easy handle, the fewest requests the protocol
 *         allows for the operation (what a perfect client would send);
 *  seed:  what the Rust implementation sends (oci-clients.md 1.8): a new
 *         connection per call, GET /v2/ before every request, the chunked
 *         POST/PATCH/PUT blob push and the manifest PUT, no existence check.
 *
 * Every function returns 0 when the registry answered as expected, -1
 * otherwise. Repository paths are full ("bench/x"). */
#ifndef ALIEN_AR_BENCH_BASELINE_H
#define ALIEN_AR_BENCH_BASELINE_H

struct bench_floor; /* one kept-alive connection; one thread at a time */

struct bench_floor *bench_floor_new(const char *base_url);
void bench_floor_free(struct bench_floor *f);

/* HEAD manifests/latest: 200 when `exists`, 404 otherwise. */
int bench_floor_get(struct bench_floor *f, const char *path, int exists);
/* HEAD; if absent: mount from `mount_from` (POST 201) or POST + PUT blob,
 * then PUT manifest. 1, 3 or 4 requests. */
int bench_floor_create(struct bench_floor *f, const char *path,
                       const char *mount_from);
/* GET tags/list, HEAD each tag for its digest, DELETE by digest: 3 requests
 * for a one-tag repository. */
int bench_floor_delete(struct bench_floor *f, const char *path);

/* GET /v2/ + GET manifests/latest on a fresh connection. */
int bench_seed_get(const char *base_url, const char *path, int exists);
/* 8 requests on a fresh connection (see above). */
int bench_seed_create(const char *base_url, const char *path);

#endif
