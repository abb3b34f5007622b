#ifndef CHTTPPARSER_H
#define CHTTPPARSER_H
// Debian's libhttp-parser (nodejs/http-parser): the supervisor's health endpoint parses with it.
#include <http_parser.h>
#endif
