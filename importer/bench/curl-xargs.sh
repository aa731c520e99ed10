#!/usr/bin/env bash
# What people write when the loop is too slow: the same curl, 16 at a time
# with xargs -P 16. Input: lines "LEAD_ID<TAB>JSON_BODY". Environment:
# NUTSHELL_API_URL, NUTSHELL_USERNAME, NUTSHELL_API_KEY. awk turns each line
# into three arguments (URL, --data-raw, body), so no shell is started per row.
set -u
awk -F'\t' -v base="$NUTSHELL_API_URL" '{ print base "/leads/" $1 "/status"; print "--data-raw"; print $2 }' "$1" |
	xargs -d '\n' -n 3 -P 16 \
		curl -sS -o /dev/null -w '%{http_code}\n' \
		-u "$NUTSHELL_USERNAME:$NUTSHELL_API_KEY" \
		-H 'Content-Type: application/json'
