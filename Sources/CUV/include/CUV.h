#ifndef CUV_H
#define CUV_H
// The only header that brings libuv into Swift; imported by the UVLoop target alone.
#include <uv.h>
#include "cuv_process.h"
#endif
