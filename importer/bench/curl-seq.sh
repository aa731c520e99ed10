#!/usr/bin/env bash
# What people write instead of leadstatus: one curl per update, one after the
# other. Input: lines "LEAD_ID<TAB>JSON_BODY". Environment: NUTSHELL_API_URL,
# NUTSHELL_USERNAME, NUTSHELL_API_KEY. No retries, no rate, no report beyond
# the status codes printed.
set -u
while IFS=$'\t' read -r id body; do
	curl -sS -o /dev/null -w '%{http_code}\n' \
		-u "$NUTSHELL_USERNAME:$NUTSHELL_API_KEY" \
		-H 'Content-Type: application/json' \
		--data-raw "$body" \
		"$NUTSHELL_API_URL/leads/$id/status"
done <"$1"
