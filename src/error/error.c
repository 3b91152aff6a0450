#include "error/error.h"

#include <stdlib.h>
#include <string.h>

#include "util/str.h"
#include "util/upper.h"
#include "util/utf8.h"

/* The public struct comes first so an ar_error * is an alien_ar_error *. */
struct error_impl {
  struct alien_ar_error pub;
  char *variant;
};

static struct error_impl *impl_of(const ar_error *e)
{
  return (struct error_impl *)(void *)(uintptr_t)e;
}

ar_error *ar_error_new(alien_ar_status status, const char *code,
                       const char *message, const char *context_json,
                       const char *variant, int retryable, int internal,
                       int http_status_code)
{
  struct error_impl *e = calloc(1, sizeof(*e));
  if(!e)
    return NULL;
  e->pub.struct_size = (uint32_t)sizeof(e->pub);
  e->pub.status = status;
  e->pub.code = ar_strdup(code);
  /* Messages quote host input and cut long values short: either may be
   * invalid UTF-8, which a JSON reader on the host side would reject. */
  e->pub.message = ar_utf8_sanitize(message ? message : "");
  e->pub.context_json = context_json ? ar_strdup(context_json) : NULL;
  e->variant = variant ? ar_strdup(variant) : NULL;
  e->pub.retryable = retryable ? 1 : 0;
  e->pub.internal = internal ? 1 : 0;
  e->pub.http_status_code = http_status_code;
  if(!e->pub.code || !e->pub.message || (context_json && !e->pub.context_json)
     || (variant && !e->variant)) {
    ar_error_free(&e->pub);
    return NULL;
  }
  return &e->pub;
}

void ar_error_free(ar_error *err)
{
  while(err) {
    struct error_impl *e = impl_of(err);
    ar_error *next = (ar_error *)(uintptr_t)err->source;
    free((char *)(uintptr_t)err->code);
    free((char *)(uintptr_t)err->message);
    free((char *)(uintptr_t)err->context_json);
    free((char *)(uintptr_t)err->hint);
    free(e->variant);
    free(e);
    err = next;
  }
}

const char *ar_error_variant(const ar_error *err)
{
  return impl_of(err)->variant;
}

ar_error *ar_error_chain(ar_error *outer, ar_error *cause)
{
  if(!outer) {
    ar_error_free(cause);
    return NULL;
  }
  if(cause) {
    struct error_impl *c = impl_of(cause);
    free(c->variant);
    c->variant = NULL;
    ar_error_free((ar_error *)(uintptr_t)outer->source);
    outer->source = cause;
  }
  return outer;
}

alien_ar_status ar_error_raise(ar_error *e, ar_error **out)
{
  alien_ar_status status = e ? e->status : ALIEN_AR_ERR_NO_MEMORY;
  if(out)
    *out = e;
  else
    ar_error_free(e);
  return status;
}

char *ar_binding_env_var(const char *binding_name)
{
  /* alien: "ALIEN_" + name.replace('-', "_").to_uppercase() + "_BINDING" */
  char *upper = ar_utf8_upper(binding_name);
  if(!upper)
    return NULL;
  for(char *p = upper; *p; p++)
    if(*p == '-')
      *p = '_';
  char *env = ar_format("ALIEN_%s_BINDING", upper);
  free(upper);
  return env;
}
