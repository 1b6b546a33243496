/* A PKCS#11 module that puts a smart card's PIN retry counter in front of another module.
 *
 * SoftHSM2 never locks a PIN (softhsm/SoftHSMv2#399: anyone who can load it can read the
 * token files), so a card's lockout cannot be tested on it directly. This module forwards
 * every call to TARGET_MODULE (given when it is compiled: -DTARGET_MODULE='"/path/lib.so"')
 * and counts failed user logins as cards do: after a wrong PIN the token reports
 * CKF_USER_PIN_COUNT_LOW, before the last try CKF_USER_PIN_FINAL_TRY, and after
 * LOCKOUT_TRIES wrong PINs in a row (default 3) CKF_USER_PIN_LOCKED, with every later
 * C_Login answered CKR_PIN_LOCKED, even with the right PIN. A right PIN before that resets
 * the count. The count lives in the process, as long as the module is loaded.
 *
 * Built by the tests (tests/support: pkcs11_lockout_module) with the system's p11-kit header.
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include <p11-kit/pkcs11.h>

#ifndef TARGET_MODULE
#error "compile with -DTARGET_MODULE='\"/path/to/module.so\"'"
#endif
#ifndef LOCKOUT_TRIES
#define LOCKOUT_TRIES 3
#endif

static CK_FUNCTION_LIST shim;
static CK_FUNCTION_LIST_PTR target;
static atomic_int failures;

static CK_RV shim_login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin,
                        CK_ULONG pin_len) {
  if (user == CKU_SO) {
    return target->C_Login(session, user, pin, pin_len);
  }
  if (atomic_load(&failures) >= LOCKOUT_TRIES) {
    return CKR_PIN_LOCKED;
  }
  CK_RV rv = target->C_Login(session, user, pin, pin_len);
  if (rv == CKR_PIN_INCORRECT) {
    atomic_fetch_add(&failures, 1);
  } else if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
    atomic_store(&failures, 0);
  }
  return rv;
}

static CK_RV shim_get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  CK_RV rv = target->C_GetTokenInfo(slot, info);
  if (rv != CKR_OK || info == NULL) {
    return rv;
  }
  int failed = atomic_load(&failures);
  info->flags &= ~(CK_FLAGS)(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
  if (failed >= LOCKOUT_TRIES) {
    info->flags |= CKF_USER_PIN_LOCKED;
  } else if (failed > 0) {
    info->flags |= CKF_USER_PIN_COUNT_LOW;
    if (failed == LOCKOUT_TRIES - 1) {
      info->flags |= CKF_USER_PIN_FINAL_TRY;
    }
  }
  return CKR_OK;
}

static CK_RV shim_get_function_list(CK_FUNCTION_LIST_PTR_PTR list);

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) { return shim_get_function_list(list); }

static CK_RV shim_get_function_list(CK_FUNCTION_LIST_PTR_PTR list) {
  if (list == NULL) {
    return CKR_ARGUMENTS_BAD;
  }
  if (target == NULL) {
    void *handle = dlopen(TARGET_MODULE, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
      return CKR_GENERAL_ERROR;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR inner = NULL;
    if (get == NULL || get(&inner) != CKR_OK || inner == NULL) {
      return CKR_GENERAL_ERROR;
    }
    shim = *inner;
    shim.C_GetFunctionList = shim_get_function_list;
    shim.C_Login = shim_login;
    shim.C_GetTokenInfo = shim_get_token_info;
    target = inner;
  }
  *list = &shim;
  return CKR_OK;
}
