/* HOSTILE TEST FIXTURE: a C extension named after a standard-library module (cmath). Its constructor
   runs wherever the library is loaded and writes a marker with the uid and cwd it ran as. Built at
   test time by ATTACK.toml's `prepare` into src/cmath.cpython-311-x86_64-linux-gnu.so. */
#include <Python.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void aie_marker(void) {
    char cwd[512];
    FILE *f = fopen("/tmp/aie-static-marker", "w");
    if (f) {
        fprintf(f, "uid=%d cwd=%s\n", (int)getuid(), getcwd(cwd, sizeof cwd) ? cwd : "?");
        fclose(f);
    }
}

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cmath", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_cmath(void) { return PyModule_Create(&module); }
