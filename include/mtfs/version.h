/*
 * mtfs/version.h - the engine version, recorded in every output's metadata.
 *
 * Its own header so a library file that needs only the version does not
 * include the umbrella mtfs/mtfs.h (and with it every module's header).
 * The Makefile's mtfs.pc rule reads MTFS_VERSION from this file.
 */
#ifndef MTFS_VERSION_H
#define MTFS_VERSION_H

#define MTFS_VERSION "0.1.0"
#define MTFS_VERSION_MAJOR 0
#define MTFS_VERSION_MINOR 1
#define MTFS_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

/* The engine version string, e.g. "0.1.0". */
const char *mtfs_version(void);

#ifdef __cplusplus
}
#endif
#endif
