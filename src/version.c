/* version.c - the engine version, recorded in every output's metadata. */
#include "mtfs/mtfs.h"

const char *mtfs_version(void) { return MTFS_VERSION; }
