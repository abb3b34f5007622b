#ifndef CCURL_H
#define CCURL_H
// The only header that brings libcurl into Swift; imported by the HTTPTransport target alone.
// curl_easy_setopt and friends are variadic macros Swift cannot call: typed wrappers live in shim.c.
#include <curl/curl.h>

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_ptr(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);
CURLMcode ccurl_multi_setopt_ptr(CURLM *handle, CURLMoption option, void *value);
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);
/// A CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION callback.
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);
/// Sets a blob option (CAINFO_BLOB, SSLCERT_BLOB, SSLKEY_BLOB); libcurl copies the bytes.
CURLcode ccurl_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);
CURLcode ccurl_easy_setopt_write(CURL *handle, CURLoption option, ccurl_data_callback callback);
CURLMcode ccurl_multi_setopt_socketfunction(CURLM *handle, curl_socket_callback callback);
CURLMcode ccurl_multi_setopt_timerfunction(CURLM *handle, curl_multi_timer_callback callback);
#endif
