# The symbolic tokens of each syscall's arguments, one "syscall TOKEN" per
# line (sort -u them): words of capitals, digits and _ (O_CLOEXEC,
# AF_INET, S_IFREG, WIFEXITED, and a signal set's CHLD), outside strings
# and comments, NULL left out.
#   awk -v from=strace -f tokens.awk st.*   strace -ff -o files; a file that
#       begins with chroot's execve is read from chroot's chroot() on
#   awk -v from=ring -f tokens.awk LINES    "syscall decoded..." lines
function tokens(name, s, w) {
	gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
	gsub(/\/\*[^*]*\*\//, "", s)
	while (match(s, /[A-Za-z0-9_]+/)) {
		w = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (w ~ /^[A-Z][A-Z0-9_]+$/ && w != "NULL")
			print name, w
	}
}
from == "ring" {
	name = $1
	sub(/^[^ ]* /, "")
	tokens(name, $0)
	next
}
FNR == 1 { in_chroot = ($0 ~ /^execve\("[^"]*\/chroot"/) }
in_chroot { if ($0 ~ /^chroot\(/) in_chroot = 0; next }
/^[a-z0-9_]+\(/ {
	name = substr($0, 1, index($0, "(") - 1)
	s = substr($0, length(name) + 2)
	gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
	# The arguments end at the last ")  = " (strings are gone); what
	# follows is the return (an errno, fcntl's "(flags O_RDWR)").
	n = 0
	for (off = 0; match(substr(s, off + 1), /\) += /); off += RSTART + RLENGTH - 1)
		n = off + RSTART
	if (n)
		s = substr(s, 1, n - 1)
	tokens(name, s)
}
