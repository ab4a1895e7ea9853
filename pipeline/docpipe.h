/*
 * docpipe.h: the shared library of docpipe, one header per topic.
 */
#ifndef DOCPIPE_H
#define DOCPIPE_H

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "exitcode.h"
#include "record.h"
#include "config.h"
#include "text.h"
#include "detect.h"
#include "extract.h"
#include "redact.h"
#include "emit.h"
#include "chain.h"
#include "sandbox.h"
#include "isolate.h"
#include "util.h"

#include "banned.h"
#endif
