#include "CCurl.h"

CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
CURLcode ccurl_easy_setopt_ptr(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
CURLcode ccurl_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
CURLMcode ccurl_multi_setopt_long(CURLM *h, CURLMoption o, long v) { return curl_multi_setopt(h, o, v); }
CURLMcode ccurl_multi_setopt_ptr(CURLM *h, CURLMoption o, void *v) { return curl_multi_setopt(h, o, v); }
CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
CURLcode ccurl_easy_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }

CURLcode ccurl_easy_setopt_blob(CURL *h, CURLoption o, const void *data, size_t len) {
    struct curl_blob blob = { (void *)data, len, CURL_BLOB_COPY };
    return curl_easy_setopt(h, o, &blob);
}
CURLcode ccurl_easy_setopt_write(CURL *h, CURLoption o, ccurl_data_callback cb) { return curl_easy_setopt(h, o, cb); }
CURLMcode ccurl_multi_setopt_socketfunction(CURLM *h, curl_socket_callback cb) { return curl_multi_setopt(h, CURLMOPT_SOCKETFUNCTION, cb); }
CURLMcode ccurl_multi_setopt_timerfunction(CURLM *h, curl_multi_timer_callback cb) { return curl_multi_setopt(h, CURLMOPT_TIMERFUNCTION, cb); }
