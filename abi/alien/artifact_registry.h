/*
 * alien artifact registry plugin ABI, version 1.
 *
 * This header is the whole contract between a host (an orchestrator, a CLI,
 * a language binding) and the plugin shared object. A host dlopen()s the
 * plugin, looks up the single exported symbol ALIEN_AR_ENTRY_SYMBOL,
 * negotiates the ABI version and receives a table of function pointers.
 * Everything else is reached through that table.
 *
 * Rules that hold for every declaration below:
 *
 *  - Append-only. Fields and table slots are never removed, reordered or
 *    retyped within major version 1. New ones are appended at the end of a
 *    struct and announced by a minor version bump; every struct begins with
 *    its own size so either side can tell what the other knows.
 *  - Ownership. Memory the plugin returns is freed only through the free
 *    function the table names for it. The plugin never frees or keeps host
 *    memory beyond the call it was passed to (strings are copied).
 *  - Errors. Fallible functions return an alien_ar_status (ALIEN_AR_OK is 0)
 *    and, when the host passes a non-NULL `err`, store a plugin-owned error
 *    object there (NULL on success). The object carries alien's error model.
 *  - Strings are NUL-terminated UTF-8.
 *  - The plugin never writes to stdout or stderr, never exits or aborts the
 *    process, and installs no signal handlers, atexit hooks, constructors or
 *    destructors. It logs only through the host's callback.
 *
 * Threading classes used in the documentation:
 *  - "any thread": may be called from any thread, concurrently with anything.
 *  - "handle-concurrent": may run concurrently with other handle-concurrent
 *    calls on the same handle, from any threads.
 *  - "exclusive": must not run concurrently with any other call on the same
 *    object; the host must make sure no other call on it is in flight.
 */
#ifndef ALIEN_ARTIFACT_REGISTRY_H
#define ALIEN_ARTIFACT_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major version this header describes. @since 1.0 */
#define ALIEN_AR_ABI_MAJOR 1
/** Highest ABI minor version this header describes. @since 1.0 */
#define ALIEN_AR_ABI_MINOR 0

/** Name of the one symbol the plugin exports (for dlsym). @since 1.0 */
#define ALIEN_AR_ENTRY_SYMBOL "alien_ar_plugin_negotiate"

/**
 * Status codes. Each error object also carries alien's string `code`; the
 * status is the coarse class a host branches on.
 * @since 1.0
 */
typedef int32_t alien_ar_status;

/** Success. @since 1.0 */
#define ALIEN_AR_OK 0
/** Host and plugin share no ABI version (wrong major, or a minor the plugin
 *  cannot serve). Error code `ABI_MISMATCH`. @since 1.0 */
#define ALIEN_AR_ERR_ABI_MISMATCH 1
/** The host broke the calling contract: a NULL required pointer, a struct
 *  whose struct_size is too small, a handle that is not open. Error code
 *  `INVALID_ARGUMENT`. @since 1.0 */
#define ALIEN_AR_ERR_INVALID_ARGUMENT 2
/** The repository does not exist. Error code `RESOURCE_NOT_FOUND`. @since 1.0 */
#define ALIEN_AR_ERR_NOT_FOUND 3
/** The backend does not support the operation. Error code
 *  `OPERATION_NOT_SUPPORTED`. @since 1.0 */
#define ALIEN_AR_ERR_NOT_SUPPORTED 4
/** The binding config is invalid or names a service no backend serves.
 *  Error codes `BINDING_CONFIG_INVALID`, `UNSUPPORTED_BINDING_PROVIDER`.
 *  @since 1.0 */
#define ALIEN_AR_ERR_CONFIG 5
/** An argument has the right type but a bad value (a repository name outside
 *  the OCI grammar, malformed access JSON). No request was made. Error code
 *  `INVALID_INPUT`. @since 1.0 */
#define ALIEN_AR_ERR_INVALID_INPUT 6
/** Out of memory. Error code `OUT_OF_MEMORY` (the error object itself may
 *  be NULL in this case). @since 1.0 */
#define ALIEN_AR_ERR_NO_MEMORY 7
/** The registry or the transport failed (connection refused, timeout, an
 *  unexpected HTTP answer). Error code `BINDINGS_ERROR`, with the cause in
 *  the source chain; check `retryable`. @since 1.0 */
#define ALIEN_AR_ERR_BACKEND 8
/** The registry refused the configured credentials, or requires some and
 *  none are configured. Error code `AUTHENTICATION_ERROR`; the error never
 *  contains the credentials. @since 1.0 */
#define ALIEN_AR_ERR_AUTH 9

/**
 * Log levels for the host's log callback; a larger number is more verbose.
 * @since 1.0
 */
#define ALIEN_AR_LOG_ERROR 1
#define ALIEN_AR_LOG_WARN 2
#define ALIEN_AR_LOG_INFO 3
#define ALIEN_AR_LOG_DEBUG 4
#define ALIEN_AR_LOG_TRACE 5

/**
 * Services the host lends to one handle, passed to `open`.
 *
 * @ownership Host-owned. The plugin copies the struct during `open`; the
 *            callback and user_data must stay valid until `close` returns.
 * @threading `log` is called from whichever thread is inside a call on the
 *            handle, possibly from several threads at once; it must be
 *            thread-safe and must not call back into the plugin.
 * @since 1.0
 */
struct alien_ar_host {
  /** sizeof(struct alien_ar_host) as the host compiled it. */
  uint32_t struct_size;
  /** Most verbose level delivered (ALIEN_AR_LOG_*); 0 disables logging. */
  int32_t log_level;
  /** Receives one log line (no trailing newline; `message` is borrowed for
   *  the duration of the call). May be NULL. Never receives secrets. */
  void (*log)(void *user_data, int32_t level, const char *message);
  /** Passed back unchanged to `log`. */
  void *user_data;
};

/**
 * An error in alien's model (alien_error::AlienError). Read-only for the
 * host; the chain of `source` errors is owned by the outermost error.
 *
 * @ownership Plugin-owned; free the outermost error with `error_free`.
 * @threading Immutable once returned: readable from any thread.
 * @since 1.0
 */
struct alien_ar_error {
  /** sizeof(struct alien_ar_error) as the plugin compiled it. */
  uint32_t struct_size;
  /** The alien_ar_status class of this error. */
  alien_ar_status status;
  /** alien's code, e.g. "RESOURCE_NOT_FOUND". Never NULL. */
  const char *code;
  /** alien's message, e.g. "Resource 'b/app' not found". Never NULL. */
  const char *message;
  /** The context object as compact JSON, or NULL when alien has none. */
  const char *context_json;
  /** A hint for a human, or NULL. */
  const char *hint;
  /** Non-zero when retrying the same call may succeed. */
  int32_t retryable;
  /** Non-zero when alien marks the error as internal (not for end users). */
  int32_t internal;
  /** The HTTP status alien maps this error to, or 0 when it has none. */
  int32_t http_status_code;
  /** The underlying cause, or NULL at the end of the chain. */
  const struct alien_ar_error *source;
};

/**
 * alien's RepositoryResponse.
 *
 * @ownership Plugin-owned; free with `repository_free`.
 * @threading Immutable once returned.
 * @since 1.0
 */
struct alien_ar_repository {
  /** sizeof(struct alien_ar_repository) as the plugin compiled it. */
  uint32_t struct_size;
  /** The routable name to pass back to every other call. Never NULL. */
  const char *name;
  /** Reference for container tools (`host:port/name`, no scheme), or NULL
   *  when the repository is not ready yet. */
  const char *uri;
  /** ISO 8601 creation time, or NULL when unknown. */
  const char *created_at;
};

/** Registry auth methods (alien's RegistryAuthMethod). @since 1.0 */
#define ALIEN_AR_AUTH_BASIC 1
#define ALIEN_AR_AUTH_BEARER 2

/** Permissions for generated credentials (alien's
 *  ArtifactRegistryPermissions). @since 1.0 */
#define ALIEN_AR_PERMISSIONS_PULL 1
#define ALIEN_AR_PERMISSIONS_PUSH_PULL 2

/** `ttl_seconds` value meaning "no TTL requested" (alien's None). @since 1.0 */
#define ALIEN_AR_TTL_NONE (-1)

/**
 * alien's ArtifactRegistryCredentials.
 *
 * @ownership Plugin-owned; free with `credentials_free`, which also wipes
 *            the password from memory.
 * @threading Immutable once returned.
 * @since 1.0
 */
struct alien_ar_credentials {
  /** sizeof(struct alien_ar_credentials) as the plugin compiled it. */
  uint32_t struct_size;
  /** ALIEN_AR_AUTH_BASIC or ALIEN_AR_AUTH_BEARER. */
  int32_t auth_method;
  /** User name (empty for bearer auth and anonymous registries). */
  const char *username;
  /** Password or token (empty for anonymous registries). */
  const char *password;
  /** ISO 8601 expiry, or NULL when the credentials do not expire. */
  const char *expires_at;
};

/**
 * An open binding: one backend configured by one binding config.
 * Opaque. @since 1.0
 */
typedef struct alien_ar_handle alien_ar_handle;

/**
 * The plugin's function table. The host must not read a field whose end
 * lies beyond `struct_size`.
 *
 * @ownership Plugin-owned static data; valid while the plugin is loaded.
 * @threading Immutable: readable from any thread.
 * @since 1.0
 */
struct alien_ar_plugin {
  /** sizeof(struct alien_ar_plugin) as the plugin compiled it. */
  uint32_t struct_size;
  /** Always ALIEN_AR_ABI_MAJOR of the plugin (1). */
  uint32_t abi_major;
  /** The plugin's ABI minor; the host may use slots up to this minor. */
  uint32_t abi_minor;
  /** Reserved, always 0. */
  uint32_t reserved;
  /** Plugin name, e.g. "alien-artifact-registry". */
  const char *plugin_name;
  /** Plugin release version, e.g. "1.0.0". */
  const char *plugin_version;

  /* ---- since ABI 1.0 ------------------------------------------------- */

  /**
   * Number of backends the plugin registers.
   * @threading any thread. @since 1.0
   */
  size_t (*backend_count)(void);

  /**
   * Name of backend `index` ("local" is index 0), or NULL past the end.
   * The name is the binding's `service` tag that selects the backend.
   * @ownership Returned string is static plugin data.
   * @threading any thread. @since 1.0
   */
  const char *(*backend_name)(size_t index);

  /**
   * Opens a handle from a binding config.
   *
   * @param binding_name The binding's name (e.g. "test-alien-artifact-
   *        registry"); it names the env var ALIEN_<NAME>_BINDING in errors
   *        and is the first segment of routable repository names.
   * @param config_json  The exact JSON alien puts in ALIEN_<NAME>_BINDING,
   *        e.g. {"service":"local","registryUrl":"localhost:5000",
   *        "dataDir":null}. Its `service` tag picks the backend.
   * @param host         Host services, or NULL for none (no logging).
   * @param out          Receives the handle on success, NULL on failure.
   * @param err          If non-NULL, receives the error on failure.
   * @return ALIEN_AR_OK; ALIEN_AR_ERR_CONFIG for an invalid config or an
   *         unknown service; ALIEN_AR_ERR_INVALID_ARGUMENT for NULL
   *         arguments. No network I/O happens here.
   * @ownership The handle is the caller's; release it with `close`. The
   *            plugin copies every argument.
   * @threading any thread; handles are independent of each other, and any
   *            number of them, of any backends, may be open at once.
   * @since 1.0
   */
  alien_ar_status (*open)(const char *binding_name, const char *config_json,
                          const struct alien_ar_host *host,
                          alien_ar_handle **out, struct alien_ar_error **err);

  /**
   * Closes a handle and releases its connections. New calls on the handle
   * are refused from the moment close starts; close waits for the calls
   * already in flight on it to return. NULL, a pointer that is not an open
   * handle, and a second close are no-ops; any later call with the closed
   * pointer returns ALIEN_AR_ERR_INVALID_ARGUMENT (the plugin keeps a set of
   * open handles and never dereferences one that is not in it; the one
   * case it cannot tell is a later handle that reuses the same address).
   * @threading any thread. @since 1.0
   */
  void (*close)(alien_ar_handle *handle);

  /**
   * The registry endpoint URL with scheme, e.g. "http://localhost:5000"
   * (alien's registry_endpoint()).
   * @ownership *out is the caller's; free with `string_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*registry_endpoint)(alien_ar_handle *handle, char **out,
                                       struct alien_ar_error **err);

  /**
   * The upstream repository prefix, e.g. "artifacts/default".
   * @ownership *out is the caller's; free with `string_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*upstream_repository_prefix)(alien_ar_handle *handle,
                                                char **out,
                                                struct alien_ar_error **err);

  /**
   * Creates a repository from a logical name (e.g. "my-app"); idempotent,
   * never overwrites an existing `latest` manifest.
   * @ownership *out is the caller's; free with `repository_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*create_repository)(alien_ar_handle *handle,
                                       const char *repo_name,
                                       struct alien_ar_repository **out,
                                       struct alien_ar_error **err);

  /**
   * Looks a repository up by its routable name (a logical name is accepted
   * too). ALIEN_AR_ERR_NOT_FOUND when it does not exist.
   * @ownership *out is the caller's; free with `repository_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*get_repository)(alien_ar_handle *handle,
                                    const char *repo_id,
                                    struct alien_ar_repository **out,
                                    struct alien_ar_error **err);

  /**
   * Deletes a repository's images. Succeeds when the repository does not
   * exist, and (as a logged no-op) when the registry refuses deletion.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*delete_repository)(alien_ar_handle *handle,
                                       const char *repo_id,
                                       struct alien_ar_error **err);

  /**
   * Generates registry credentials for a repository.
   * @param permissions ALIEN_AR_PERMISSIONS_PULL or _PUSH_PULL.
   * @param ttl_seconds Requested lifetime in seconds (0 .. UINT32_MAX), or
   *        ALIEN_AR_TTL_NONE.
   * @ownership *out is the caller's; free with `credentials_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*generate_credentials)(alien_ar_handle *handle,
                                          const char *repo_id,
                                          int32_t permissions,
                                          int64_t ttl_seconds,
                                          struct alien_ar_credentials **out,
                                          struct alien_ar_error **err);

  /**
   * Grants cross-account access. `access_json` is alien's JSON form of
   * CrossAccountAccess, e.g. {"platform":"aws","accountIds":[...],
   * "regions":[],"allowedServiceTypes":["worker"],"roleArns":[...]}.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*add_cross_account_access)(alien_ar_handle *handle,
                                              const char *repo_id,
                                              const char *access_json,
                                              struct alien_ar_error **err);

  /**
   * Revokes cross-account access; `access_json` as for the add call.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*remove_cross_account_access)(alien_ar_handle *handle,
                                                 const char *repo_id,
                                                 const char *access_json,
                                                 struct alien_ar_error **err);

  /**
   * Reads cross-account access as alien's CrossAccountPermissions JSON,
   * {"access":{...},"lastUpdated":...}.
   * @ownership *out is the caller's; free with `string_free`.
   * @threading handle-concurrent. @since 1.0
   */
  alien_ar_status (*get_cross_account_access)(alien_ar_handle *handle,
                                              const char *repo_id, char **out,
                                              struct alien_ar_error **err);

  /** Frees a string returned by the plugin. NULL is a no-op.
   *  @threading any thread. @since 1.0 */
  void (*string_free)(char *s);

  /** Frees a repository. NULL is a no-op. @threading any thread.
   *  @since 1.0 */
  void (*repository_free)(struct alien_ar_repository *repo);

  /** Wipes and frees credentials. NULL is a no-op. @threading any thread.
   *  @since 1.0 */
  void (*credentials_free)(struct alien_ar_credentials *creds);

  /** Frees an error and its source chain. NULL is a no-op.
   *  @threading any thread. @since 1.0 */
  void (*error_free)(struct alien_ar_error *err);

  /**
   * Serialises an error (with its source chain) to the JSON alien's
   * AlienError serialises to: code, message, context, hint, retryable,
   * internal, httpStatusCode, source, _error_for_pattern_matching.
   * @ownership *out is the caller's; free with `string_free`.
   * @threading any thread. @since 1.0
   */
  alien_ar_status (*error_to_json)(const struct alien_ar_error *err,
                                   char **out);

  /**
   * Serialises a repository to alien's JSON:
   * {"name":..,"uri":..,"createdAt":..}.
   * @ownership *out is the caller's; free with `string_free`.
   * @threading any thread. @since 1.0
   */
  alien_ar_status (*repository_to_json)(
      const struct alien_ar_repository *repo, char **out);

  /**
   * Serialises credentials to alien's JSON:
   * {"authMethod":..,"username":..,"password":..,"expiresAt":..}.
   * The result contains the password: treat it as a secret.
   * @ownership *out is the caller's; free with `string_free`.
   * @threading any thread. @since 1.0
   */
  alien_ar_status (*credentials_to_json)(
      const struct alien_ar_credentials *creds, char **out);

  /**
   * A short English description of a status, e.g. "resource not found".
   * Never NULL (unknown statuses get a generic text).
   * @ownership Static plugin data. @threading any thread. @since 1.0
   */
  const char *(*status_string)(alien_ar_status status);

  /**
   * The backend name a handle was opened with ("local"), or NULL for a
   * NULL or closed handle.
   * @ownership Static plugin data. @threading handle-concurrent.
   * @since 1.0
   */
  const char *(*handle_backend)(const alien_ar_handle *handle);
};

/**
 * The plugin's one exported function: negotiates the ABI version and hands
 * out the function table.
 *
 * @param host_abi_major The ABI major the host speaks (ALIEN_AR_ABI_MAJOR).
 * @param host_abi_minor The highest ABI minor the host knows
 *        (ALIEN_AR_ABI_MINOR as the host compiled it).
 * @param agreed_minor   If non-NULL, receives the minor both sides speak:
 *        min(host_abi_minor, plugin minor). The host must use only slots of
 *        that minor or lower.
 * @param out            Receives the table on success, NULL on failure.
 * @return ALIEN_AR_OK, ALIEN_AR_ERR_ABI_MISMATCH when `host_abi_major` is
 *         not 1, or ALIEN_AR_ERR_INVALID_ARGUMENT when `out` is NULL.
 * @ownership The table is static plugin data.
 * @threading any thread; idempotent.
 * @since 1.0
 */
typedef alien_ar_status (*alien_ar_negotiate_fn)(
    uint32_t host_abi_major, uint32_t host_abi_minor, uint32_t *agreed_minor,
    const struct alien_ar_plugin **out);

#ifndef ALIEN_AR_NO_PROTOTYPES
alien_ar_status alien_ar_plugin_negotiate(uint32_t host_abi_major,
                                          uint32_t host_abi_minor,
                                          uint32_t *agreed_minor,
                                          const struct alien_ar_plugin **out);
#endif

#ifdef __cplusplus
}
#endif

#endif /* ALIEN_ARTIFACT_REGISTRY_H */
