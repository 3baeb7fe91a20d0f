#!@shell@
# curl-like front end to busybox wget, for simple requests: GET (the default), POST with -d,
# headers with -H, -o FILE / -O, -s/-S, -f, -L (redirects are always followed), -k, -m SECS,
# -w '%{http_code}', -I (headers only, from wget -S). Not curl: the body of an HTTP error
# response is not shown, and other options are refused.
wget=@busybox@/bin/busybox
output=-
fail=
silent=
showErrors=
writeOut=
headOnly=
url=
wgetArgs=""
addArg() { wgetArgs="$wgetArgs $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"; }

while [ $# -gt 0 ]; do
  case "$1" in
    -s | --silent) silent=1 ;;
    -S | --show-error) showErrors=1 ;;
    -sS | -Ss) silent=1; showErrors=1 ;;
    -f | --fail) fail=1 ;;
    -fsS | -fSs | -sSf | -sfS | -Ssf | -Sfs | -fs | -sf) fail=1; silent=1; case "$1" in *S*) showErrors=1 ;; esac ;;
    -L | --location) ;;
    -k | --insecure) addArg --no-check-certificate ;;
    -o | --output) output="$2"; shift ;;
    -O | --remote-name) output="" ;;
    -H | --header) addArg --header; addArg "$2"; shift ;;
    -A | --user-agent) addArg -U; addArg "$2"; shift ;;
    -m | --max-time | --connect-timeout) addArg -T; addArg "$2"; shift ;;
    -d | --data | --data-raw | --data-binary) addArg --post-data; addArg "$2"; shift ;;
    -X | --request)
      case "$2" in GET | POST) ;; *) echo "curl (base shim): only GET and POST are supported" >&2; exit 2 ;; esac
      shift ;;
    -w | --write-out) writeOut="$2"; shift ;;
    -I | --head) headOnly=1 ;;
    -V | --version) echo "curl (base shim over busybox wget)"; exit 0 ;;
    -*) echo "curl (base shim): unsupported option '$1'" >&2; exit 2 ;;
    *) url="$1" ;;
  esac
  shift
done

[ -n "$url" ] || { echo "curl: no URL specified" >&2; exit 2; }
case "$url" in *://*) ;; *) url="http://$url" ;; esac
if [ -z "$output" ]; then output="${url##*/}"; output="${output%%\?*}"; [ -n "$output" ] || output=index.html; fi

errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
if [ -n "$headOnly" ]; then
  eval "\"\$wget\" wget -q -S --spider $wgetArgs \"\$url\"" 2> "$errors"
  status=$?
  sed -n 's/^  //p' "$errors"
else
  eval "\"\$wget\" wget -q -S -O \"\$output\" $wgetArgs \"\$url\"" 2> "$errors"
  status=$?
fi
code="$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$errors" | tail -n 1)"
[ -n "$code" ] || code=000
if [ -n "$writeOut" ]; then
  printf '%b' "$(printf '%s' "$writeOut" | sed "s/%{http_code}/$code/g; s/%{response_code}/$code/g")"
fi
if [ "$status" -ne 0 ]; then
  case "$code" in
    [45]??)
      if [ -n "$fail" ]; then
        if [ -z "$silent" ] || [ -n "$showErrors" ]; then echo "curl: (22) The requested URL returned error: $code" >&2; fi
        exit 22
      fi
      exit 0
      ;;
  esac
  if [ -z "$silent" ] || [ -n "$showErrors" ]; then
    echo "curl: (7) request to $url failed: $(grep -v '^  ' "$errors" | tail -n 1)" >&2
  fi
  exit 7
fi
exit 0
