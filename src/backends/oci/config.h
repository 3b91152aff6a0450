/* The `oci` binding's keys (see the README's binding reference). */
#ifndef AR_BACKENDS_OCI_CONFIG_H
#define AR_BACKENDS_OCI_CONFIG_H

#include "config/endpoint.h"
#include "config/transport_options.h"
#include "error/error.h"

#include <json-c/json.h>

struct oci_config {
  struct ar_endpoint endpoint;
  char *namespace_;
  char *username; /* secret-adjacent: never logged */
  char *password; /* secret */
  char *ca_file;
  int insecure;
  struct ar_transport_options transport;
};

ar_error *oci_config_read(const char *binding_name, json_object *config,
                          struct oci_config *out);
void oci_config_free(struct oci_config *c);

#endif
