/* A stand-in for a plugin built for another ABI major: it exports the
 * entry symbol but refuses to negotiate major 1. */
#include <alien/artifact_registry.h>

__attribute__((visibility("default"))) alien_ar_status
alien_ar_plugin_negotiate(uint32_t host_abi_major, uint32_t host_abi_minor,
                          uint32_t *agreed_minor,
                          const struct alien_ar_plugin **out)
{
  (void)host_abi_major;
  (void)host_abi_minor;
  if(agreed_minor)
    *agreed_minor = 0;
  if(out)
    *out = 0;
  return ALIEN_AR_ERR_ABI_MISMATCH;
}
