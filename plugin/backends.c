#include "backends.h"

#include "backends/local/local.h"
#include "backends/oci/oci.h"

/* Index 0 is the default a host sees first; append new backends. */
static const struct ar_backend *const registered[] = {
  &ar_local_backend,
  &ar_oci_backend,
};

const struct ar_backend_list ar_plugin_backends = {
  registered, sizeof(registered) / sizeof(registered[0])
};
