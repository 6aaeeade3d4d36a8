#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/, not committed)
# with the vendor samples in tests/fixtures/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
fx=../tests/fixtures
seed() {
  local target=$1; shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "corpus/$target/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
  done
  return 0
}
seed jsv_reader "$fx"/bokamera/*.jsv
seed vehizen_xml "$fx"/vehizen/*.xml
seed vehizen_json "$fx"/vehizen/get.json "$fx"/vehizen/response.json "$fx"/vehizen/put-request.json
seed unified_body "$fx"/vehizen/get.unified.json "$fx"/*/*.unified.json
seed department_response "$fx"/department/*.json
seed bokamera_response "$fx"/bokamera/*
seed fleet_admin_response "$fx"/fleet_admin/*.json
seed stream_reads "$fx"/vehizen/*.xml "$fx"/vehizen/*.json "$fx"/fleet_admin/*.json
# Shapes the fixtures lack: the department's envelopes, BokaMera's JSON
# and JSV errors, a Labels text.
printf '%s' '{"errors":[{"code":4001,"message":"customer is required","field":"customer"}],"warnings":[{"code":1001,"message":"searchForDuplicate is ignored"}]}' >corpus/department_response/seed-envelope.json
printf '%s' '{"warnings":[]}' >corpus/department_response/seed-empty.json
printf '%s' '{"ResponseStatus":{"ErrorCode":"ValidationException","Message":"bad","Errors":[{"ErrorCode":"NotEmpty","FieldName":"Firstname","Message":"required"}]}}' >corpus/bokamera_response/seed-error.json
printf '%s' '{ResponseStatus:{ErrorCode:ValidationException,Message:bad,Errors:[{ErrorCode:NotEmpty,FieldName:Firstname,Message:required}]}}' >corpus/bokamera_response/seed-error.jsv
printf '%s' '{"colour":"red","tags":["a","b"],"n":1.5,"nested":{"x":null}}' >corpus/fleet_admin_response/seed-labels.txt
