/* The result objects handed to hosts and their alien JSON forms
 * (core/results.h, contract section 1.3). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "core/results.h"

Test(results, repository_fields_are_copied)
{
  char name[] = "B/L", uri[] = "localhost:5000/B/L";
  struct alien_ar_repository *r = ar_repository_new(name, uri, NULL);
  cr_assert_not_null(r);
  name[0] = uri[0] = 'X';
  cr_assert_eq(r->struct_size, sizeof(struct alien_ar_repository));
  cr_assert_str_eq(r->name, "B/L");
  cr_assert_str_eq(r->uri, "localhost:5000/B/L");
  cr_assert_null(r->created_at);
  ar_repository_free(r);
}

Test(results, repository_json_of_the_local_backend)
{
  struct alien_ar_repository *r = ar_repository_new(
      "test-alien-artifact-registry/my-app",
      "localhost:5000/test-alien-artifact-registry/my-app", NULL);
  cr_assert_not_null(r);
  char *json = ar_repository_to_json(r);
  cr_assert_str_eq(json, "{\"name\":\"test-alien-artifact-registry/my-app\","
                         "\"uri\":\"localhost:5000/test-alien-artifact-"
                         "registry/my-app\",\"createdAt\":null}");
  free(json);
  ar_repository_free(r);
}

Test(results, repository_json_with_null_uri_and_created_at)
{
  struct alien_ar_repository *r = ar_repository_new(
      "p/r/app", NULL, "2024-01-02T03:04:05Z");
  cr_assert_not_null(r);
  cr_assert_null(r->uri);
  cr_assert_str_eq(r->created_at, "2024-01-02T03:04:05Z");
  char *json = ar_repository_to_json(r);
  cr_assert_str_eq(json, "{\"name\":\"p/r/app\",\"uri\":null,\"createdAt\":"
                         "\"2024-01-02T03:04:05Z\"}");
  free(json);
  ar_repository_free(r);
}

Test(results, repository_needs_a_name)
{
  cr_assert_null(ar_repository_new(NULL, "u", NULL));
  ar_repository_free(NULL);
}

Test(results, basic_credentials_of_the_local_backend)
{
  struct alien_ar_credentials *c = ar_credentials_new(ALIEN_AR_AUTH_BASIC, "",
                                                      "", NULL);
  cr_assert_not_null(c);
  cr_assert_eq(c->struct_size, sizeof(struct alien_ar_credentials));
  cr_assert_eq(c->auth_method, ALIEN_AR_AUTH_BASIC);
  cr_assert_str_eq(c->username, "");
  cr_assert_str_eq(c->password, "");
  cr_assert_null(c->expires_at);
  char *json = ar_credentials_to_json(c);
  cr_assert_str_eq(json, "{\"authMethod\":\"basic\",\"username\":\"\","
                         "\"password\":\"\",\"expiresAt\":null}");
  free(json);
  ar_credentials_free(c);
}

Test(results, bearer_credentials)
{
  struct alien_ar_credentials *c = ar_credentials_new(
      ALIEN_AR_AUTH_BEARER, "", "tok/en\"1", "2030-01-01T00:00:00Z");
  cr_assert_not_null(c);
  cr_assert_eq(c->auth_method, ALIEN_AR_AUTH_BEARER);
  char *json = ar_credentials_to_json(c);
  cr_assert_str_eq(json, "{\"authMethod\":\"bearer\",\"username\":\"\","
                         "\"password\":\"tok/en\\\"1\",\"expiresAt\":"
                         "\"2030-01-01T00:00:00Z\"}");
  free(json);
  ar_credentials_free(c);
}

Test(results, basic_credentials_with_user_and_password)
{
  struct alien_ar_credentials *c = ar_credentials_new(
      ALIEN_AR_AUTH_BASIC, "oauth2accesstoken", "ya29.x", NULL);
  cr_assert_not_null(c);
  char *json = ar_credentials_to_json(c);
  cr_assert_str_eq(json, "{\"authMethod\":\"basic\",\"username\":"
                         "\"oauth2accesstoken\",\"password\":\"ya29.x\","
                         "\"expiresAt\":null}");
  free(json);
  ar_credentials_free(c);
}

Test(results, credentials_need_username_and_password)
{
  cr_assert_null(ar_credentials_new(ALIEN_AR_AUTH_BASIC, NULL, "", NULL));
  cr_assert_null(ar_credentials_new(ALIEN_AR_AUTH_BASIC, "", NULL, NULL));
  ar_credentials_free(NULL);
}
