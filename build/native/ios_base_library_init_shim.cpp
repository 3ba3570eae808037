// Provides std::ios_base_library_init(), which GCC 13's libstdc++ (GLIBCXX_3.4.32) exports and
// libLibTorchSharp.so calls at start-up. Older libstdc++ initialises iostreams by itself; constructing
// a function-static ios_base::Init keeps the same guarantee.
#include <ios>

namespace std {
void ios_base_library_init() {
    static ios_base::Init init;
}
}
