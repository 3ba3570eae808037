/* Marks one version requirement (e.g. GLIBCXX_3.4.32) of an ELF64 little-endian shared object as
 * VER_FLG_WEAK, so glibc's loader tolerates its absence. patchelf cannot set this flag; it is a
 * 2-byte edit of vna_flags in .gnu.version_r. Usage: set_verneed_weak FILE VERSION */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]); return 2; }
    FILE *f = fopen(argv[1], "r+b");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END); long size = ftell(f); fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(size);
    if (fread(buf, 1, size, f) != (size_t)size) { fprintf(stderr, "short read\n"); return 1; }
    Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
        fprintf(stderr, "%s: not an ELF64 file\n", argv[1]); return 1;
    }
    Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff);
    int found = 0;
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_GNU_verneed) continue;
        const char *strtab = (const char *)(buf + sh[sh[i].sh_link].sh_offset);
        unsigned long off = sh[i].sh_offset;
        for (unsigned n = 0; n < sh[i].sh_info; n++) {
            Elf64_Verneed *vn = (Elf64_Verneed *)(buf + off);
            unsigned long aoff = off + vn->vn_aux;
            for (unsigned a = 0; a < vn->vn_cnt; a++) {
                Elf64_Vernaux *va = (Elf64_Vernaux *)(buf + aoff);
                if (strcmp(strtab + va->vna_name, argv[2]) == 0) {
                    va->vna_flags |= VER_FLG_WEAK;
                    fseek(f, (long)((unsigned char *)&va->vna_flags - buf), SEEK_SET);
                    fwrite(&va->vna_flags, sizeof va->vna_flags, 1, f);
                    found = 1;
                }
                aoff += va->vna_next;
            }
            off += vn->vn_next;
        }
    }
    fclose(f);
    if (!found) { fprintf(stderr, "%s: no version requirement named %s\n", argv[1], argv[2]); return 1; }
    return 0;
}
