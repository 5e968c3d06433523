/* version.c - the engine version, recorded in every output's metadata. */
#include "mtfs/version.h"

const char *mtfs_version(void) { return MTFS_VERSION; }
