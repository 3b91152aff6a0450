/* The backends this plugin registers, by name. */
#ifndef AR_PLUGIN_BACKENDS_H
#define AR_PLUGIN_BACKENDS_H

#include "core/handle.h"

extern const struct ar_backend_list ar_plugin_backends;

#endif
