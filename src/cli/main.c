/*
 * main.c - the mtfs program: everything is in cli_main (cli.c), which
 * mtfs-mpi (mpi_main.c) calls too, after MPI_Init.
 */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
