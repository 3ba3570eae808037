# Sourced by the scripts in this folder: sets $libstdcxx to the system's x86-64 libstdc++.so.6.
# ldconfig is taken from CLASSIFSAE_LDCONFIG, else PATH, else /sbin (absent from non-root PATHs).
# Its listing is read to the end: an early-exiting reader (awk 'exit', head, grep -q) would make
# ldconfig die of SIGPIPE on listings over the 64 KiB pipe buffer, failing the caller under pipefail.
ldconfig_cmd="${CLASSIFSAE_LDCONFIG:-$(command -v ldconfig || echo /sbin/ldconfig)}"
ldconfig_listing="$("$ldconfig_cmd" -p 2>/dev/null || true)"
libstdcxx="$(awk '/libstdc\+\+\.so\.6 .*x86-64/ && found == "" {found = $NF} END {print found}' <<<"$ldconfig_listing")"
unset ldconfig_listing
[ -n "$libstdcxx" ] || libstdcxx=/usr/lib/x86_64-linux-gnu/libstdc++.so.6
