# The symbolic tokens of each syscall's arguments, one "syscall TOKEN" per
# line (sort -u them): words of capitals, digits and _ (O_CLOEXEC,
# AF_INET, WIFEXITED, a signal set's CHLD) outside strings and comments,
# NULL left out. Inside a structure a token is named by its field
# (st_mode=S_IFREG, events=EPOLLIN, revents=POLLIN), so that one field's
# value does not stand for another's.
#   awk -v from=strace -f tokens.awk st.*   strace -ff -o files: each call's
#       arguments and what its return shows of them (fcntl's "(flags
#       O_RDWR)" as flags=O_RDWR, poll's "([{fd=3, revents=POLLIN}])"; not
#       an error's name); a file
#       that begins with chroot's execve is read from chroot's chroot() on
#   awk -v from=ring -f tokens.awk LINES    "syscall decoded..." lines
function tokens(name, s, w, field, depth) {
	gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
	gsub(/\/\*[^*]*\*\//, "", s)
	field = ""
	depth = 0
	while (match(s, /[A-Za-z0-9_]+=?|[][{}(),]/)) {
		w = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (w ~ /^[[{(]$/) {
			depth++
			field = ""
		} else if (w ~ /^[]})]$/) {
			depth--
			field = ""
		} else if (w == ",") {
			field = ""
		} else if (w ~ /^[a-z_][a-z0-9_]*=$/) {
			field = depth > 0 ? w : ""
		} else if (w ~ /^[A-Z][A-Z0-9_]+$/ && w != "NULL") {
			print name, field w
		}
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
	# The arguments end at the last ")  = " (strings are gone); the return
	# follows: a number, then what strace shows of the arguments it filled.
	n = 0
	for (off = 0; match(substr(s, off + 1), /\) += /); off += RSTART + RLENGTH - 1)
		n = off + RSTART
	if (!n) {
		tokens(name, s)
		next
	}
	ret = substr(s, n)
	sub(/^\) += /, "", ret)
	tokens(name, substr(s, 1, n - 1))
	if (ret !~ /^(-1|\?) /) { # an error: its name and text are no argument's
		sub(/^[^ ]* */, "", ret)
		sub(/^\(flags /, "(flags=", ret) # fcntl's F_GETFL, F_GETFD: a field of the return
		tokens(name, ret)
	}
}
