#include "output.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS CLI_JSON_FLAGS

char *cli_strdupf(const char *fmt, ...)
{
  va_list ap;
  int n;
  char *s;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0)
    return NULL;
  s = malloc((size_t)n + 1);
  if(!s)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static int write_stdout(const char *text)
{
  char *msg;
  int rc;

  errno = 0;
  if(fputs(text, stdout) >= 0 && fputc('\n', stdout) != EOF &&
     fflush(stdout) == 0)
    return CLI_EXIT_OK;
  msg = cli_strdupf("Failed to write to standard output: %s",
                    errno ? strerror(errno) : "write error");
  rc = cli_report_error(CLI_EXIT_FAILURE, "GENERIC_ERROR",
                        msg ? msg : "Failed to write to standard output",
                        NULL, 500, NULL);
  free(msg);
  return rc;
}

int cli_print_json(json_object *obj)
{
  int rc;

  if(!obj)
    return cli_report_error(CLI_EXIT_FAILURE, "OUT_OF_MEMORY",
                            "Out of memory", NULL, 0, NULL);
  rc = write_stdout(json_object_to_json_string_ext(obj, JSON_FLAGS));
  json_object_put(obj);
  return rc;
}

int cli_print_raw(const char *json)
{
  return write_stdout(json);
}

int cli_exit_for_status(alien_ar_status status)
{
  switch(status) {
  case ALIEN_AR_OK:
    return CLI_EXIT_OK;
  case ALIEN_AR_ERR_NOT_FOUND:
    return CLI_EXIT_NOT_FOUND;
  case ALIEN_AR_ERR_NOT_SUPPORTED:
    return CLI_EXIT_NOT_SUPPORTED;
  case ALIEN_AR_ERR_CONFIG:
  case ALIEN_AR_ERR_INVALID_INPUT:
    return CLI_EXIT_INVALID;
  case ALIEN_AR_ERR_ABI_MISMATCH:
    return CLI_EXIT_PLUGIN;
  default:
    return CLI_EXIT_FAILURE;
  }
}

/* The code a status stands for, for the rare error without an object. */
static const char *code_for_status(alien_ar_status status)
{
  switch(status) {
  case ALIEN_AR_ERR_ABI_MISMATCH:
    return "ABI_MISMATCH";
  case ALIEN_AR_ERR_INVALID_ARGUMENT:
    return "INVALID_ARGUMENT";
  case ALIEN_AR_ERR_NOT_FOUND:
    return "RESOURCE_NOT_FOUND";
  case ALIEN_AR_ERR_NOT_SUPPORTED:
    return "OPERATION_NOT_SUPPORTED";
  case ALIEN_AR_ERR_CONFIG:
    return "BINDING_CONFIG_INVALID";
  case ALIEN_AR_ERR_INVALID_INPUT:
    return "INVALID_INPUT";
  case ALIEN_AR_ERR_NO_MEMORY:
    return "OUT_OF_MEMORY";
  default:
    return "BINDINGS_ERROR";
  }
}

static void write_error_line(const char *json)
{
  /* stderr is unbuffered: plugin log lines already written stay above. */
  fprintf(stderr, "%s\n", json);
  fflush(stderr);
}

char *cli_error_json(const char *code, const char *message,
                     json_object *context, int http_status,
                     json_object *pattern)
{
  json_object *o = json_object_new_object();
  char *text;

  if(!o) {
    json_object_put(context);
    json_object_put(pattern);
    return NULL;
  }
  json_object_object_add(o, "code", json_object_new_string(code));
  json_object_object_add(o, "message",
                         json_object_new_string(message ? message :
                                                "Out of memory"));
  if(context)
    json_object_object_add(o, "context", context);
  json_object_object_add(o, "retryable", json_object_new_boolean(0));
  json_object_object_add(o, "internal", json_object_new_boolean(0));
  if(http_status)
    json_object_object_add(o, "httpStatusCode",
                           json_object_new_int(http_status));
  if(pattern)
    json_object_object_add(o, "_error_for_pattern_matching", pattern);
  text = strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
  json_object_put(o);
  return text;
}

int cli_report_error(int exit_code, const char *code, const char *message,
                     json_object *context, int http_status,
                     json_object *pattern)
{
  char *text = cli_error_json(code, message, context, http_status, pattern);

  write_error_line(text ? text : CLI_OOM_ERROR_JSON);
  free(text);
  return exit_code;
}

/* Used when error_to_json itself fails: keep what the error says. */
static char *error_fields_json(const struct alien_ar_error *err)
{
  json_object *o = json_object_new_object();
  char *text;

  if(!o)
    return NULL;
  json_object_object_add(o, "code", json_object_new_string(
                           err->code ? err->code : "GENERIC_ERROR"));
  json_object_object_add(o, "message", json_object_new_string(
                           err->message ? err->message : ""));
  json_object_object_add(o, "retryable",
                         json_object_new_boolean(err->retryable != 0));
  json_object_object_add(o, "internal",
                         json_object_new_boolean(err->internal != 0));
  if(err->http_status_code)
    json_object_object_add(o, "httpStatusCode",
                           json_object_new_int(err->http_status_code));
  text = strdup(json_object_to_json_string_ext(o, JSON_FLAGS));
  json_object_put(o);
  return text;
}

char *cli_plugin_error_text(const struct alien_ar_plugin *table,
                            alien_ar_status status,
                            struct alien_ar_error *err)
{
  char *json = NULL;
  char *text;

  if(!err)
    return cli_error_json(code_for_status(status),
                          table->status_string(status), NULL, 0, NULL);
  if(table->error_to_json(err, &json) == ALIEN_AR_OK && json)
    text = strdup(json);
  else
    text = error_fields_json(err);
  table->string_free(json);
  table->error_free(err);
  return text;
}

int cli_report_plugin_error(const struct alien_ar_plugin *table,
                            alien_ar_status status,
                            struct alien_ar_error *err)
{
  int exit_code = cli_exit_for_status(status);
  char *text;

  if(status == ALIEN_AR_OK)
    exit_code = CLI_EXIT_FAILURE; /* a call failed without saying how */
  text = cli_plugin_error_text(table, status, err);
  write_error_line(text ? text : CLI_OOM_ERROR_JSON);
  free(text);
  return exit_code;
}
