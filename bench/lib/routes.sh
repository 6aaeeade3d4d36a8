# The vendor routes of bench/load.sh (sourced): each vendor's documented
# answer in the vendor's www tree, and per route what the gateway and the
# peers are sent. Uses $work, $www and the ids from the caller.

# vendor_files: the vendor's answers (tests/fixtures/) under $www
vendor_files() {
  mkdir -p "$work/lua" \
    "$www/vehizen-xml/api/v2/CustomerGroup" "$www/vehizen-json/api/v2/CustomerGroup" \
    "$www/bokamera-jsv/customers" "$www/bokamera-json/customers" \
    "$www/fleet/v1/vehicle-categories/$CATEGORY"
  cp tests/fixtures/vehizen/get.xml "$www/vehizen-xml/api/v2/CustomerGroup/$ID"
  cp tests/fixtures/vehizen/get.json "$www/vehizen-json/api/v2/CustomerGroup/$ID"
  cp tests/fixtures/bokamera/put-response.jsv "$www/bokamera-jsv/customers/$CUSTOMER"
  # The docs give the answer as JSV only; this is the same answer in JSON.
  cat >"$www/bokamera-json/customers/$CUSTOMER" <<'JSON'
{"Firstname":"String","Lastname":"String","Email":"String","Phone":"String","ImageUrl":"String","CustomFields":[{"Id":0,"Name":"String","Description":"String","Width":0,"DataType":"String","DefaultValue":"String","IsMandatory":false,"MandatoryErrorMessage":"String","MaxLength":0,"MultipleLineText":false,"RegEx":"String","RegExErrorMessage":"String","Values":[{"Value":"String"}]}],"CustomFieldValues":[{"Id":0,"Column":"String","Name":"String","Description":"String","Value":"String","DataType":"String"}],"Comments":[{"Id":0,"Comments":"String"}],"AccessKeys":[{"AccessKeyTypeId":0,"Value":"String","Description":"String"}],"ResponseStatus":{},"SubscribedToNewsletter":false,"InvoiceAddress":{"CorporateIdentityNumber":"String","InvoiceAddress1":"String","InvoiceAddress2":"String","InvoiceCity":"String","InvoicePostalCode":"String","InvoiceCountryCode":"String"}}
JSON
  cp tests/fixtures/fleet_admin/tree.json "$www/fleet/v1/vehicle-categories/tree"
  cp tests/fixtures/fleet_admin/vehicles.json "$www/fleet/v1/vehicle-categories/$CATEGORY/list-vehicles"
  # The unified body of both customer PUT routes (the soak test's).
  printf '%s' '{"firstName": "Åsa", "lastName": "Öberg", "emails": [{"address": "asa@example.com"}]}' \
    >"$work/unified.json"
}

# lua NAME METHOD CONTENT_TYPE BODY_FILE -> a wrk script sending that body
lua() {
  cat >"$work/lua/$1.lua" <<LUA
local f = assert(io.open("$4", "rb"))
wrk.method = "$2"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "$3"
LUA
  echo "$work/lua/$1.lua"
}

# route NAME VENDOR -> sets, for the vendor at VENDOR (http://host:port):
#   backend, routes: the gateway's config sections
#   g_path, g_script: the unified request (script empty for a GET)
#   n_path, n_script: the vendor request the peers pass through
#   v_format: xml, json or jsv; v_answer: the vendor's answer file (empty
#   for department's 204)
route() {
  g_script="" n_script="" backend="" routes="" v_answer=""
  # Enough concurrent vendor calls for CONC's 1024 connections (the
  # default, 512, sheds the rest with 503).
  local limit="max_concurrency = 4096"
  case $1 in
    vehizen-xml* | vehizen-json)
      v_format=${1#vehizen-}
      v_format=${v_format%%-*}
      backend="[backends.vehizen]
base_url = \"$2/$1\"
format = \"$v_format\"
$limit"
      routes="[routes.customer_groups]
backends = [\"vehizen\"]"
      g_path=/v1/customer-groups/$ID
      n_path=/$1/api/v2/CustomerGroup/$ID
      v_answer=$www$n_path
      ;;
    department)
      v_format=json
      backend="[backends.department]
base_url = \"$2/department\"
token = \"bench-token\"
$limit"
      routes="[routes.customers]
backends = [\"department\"]"
      g_path=/v1/customers/$CUSTOMER
      n_path=/department/customer/v2/department/bench-token/customer/$CUSTOMER
      g_script=$(lua "$1-gateway" PUT application/json "$work/unified.json")
      n_script=$(lua "$1-vendor" POST application/json "$PWD/tests/fixtures/department/request.json")
      ;;
    bokamera-jsv | bokamera-json)
      v_format=${1#bokamera-}
      local ctype=application/json
      [ "$v_format" = jsv ] && ctype=text/jsv
      backend="[backends.bokamera]
base_url = \"$2/$1\"
format = \"$v_format\"
api_key = \"bench-key\"
company_id = \"$COMPANY\"
$limit"
      routes="[routes.customers]
backends = [\"bokamera\"]"
      g_path=/v1/customers/$CUSTOMER
      n_path="/$1/customers/$CUSTOMER?CompanyId=$COMPANY"
      v_answer=$www/$1/customers/$CUSTOMER
      g_script=$(lua "$1-gateway" PUT application/json "$work/unified.json")
      # The vendor body: the docs' JSV sample (the JSON route sends the
      # same bytes; the vendor does not read them either way).
      n_script=$(lua "$1-vendor" PUT "$ctype" "$PWD/tests/fixtures/bokamera/put-request.jsv")
      ;;
    fleet-tree | fleet-vehicles)
      v_format=json
      backend="[backends.fleet_admin]
base_url = \"$2/fleet\"
$limit"
      routes="[routes.vehicle_categories]
backends = [\"fleet_admin\"]"
      if [ "$1" = fleet-tree ]; then
        g_path=/v1/vehicle-categories
        n_path=/fleet/v1/vehicle-categories/tree
        v_answer=$www$n_path
      else
        g_path=/v1/vehicle-categories/$CATEGORY/vehicles
        n_path="/fleet/v1/vehicle-categories/$CATEGORY/list-vehicles?page=1&pageSize=50"
        v_answer=$www/fleet/v1/vehicle-categories/$CATEGORY/list-vehicles
      fi
      ;;
    *)
      echo "unknown route $1" >&2
      exit 2
      ;;
  esac
}

# probe NAME: with the route set (route NAME $CAPTURE), one request
# through a gateway whose vendor is the capture server; leaves the
# gateway's answer in $work/floor/NAME.answer and the vendor request it
# wrote in $work/floor/NAME.request, and sets floor_steps, the codec
# floor's steps: parse what the gateway reads (the unified request, the
# vendor's answer), write what it writes (the vendor request, the unified
# answer)
probe() {
  local f=$work/floor/$1
  mkdir -p "$work/floor"
  gw_config "$work/probe-$1.toml" 1 "$backend" "$routes"
  : >"$work/logs/capture.log"
  gw_start "$work/probe-$1.toml" "probe-$1"
  check "http://127.0.0.1:$GATEWAY_PORT$g_path" "$g_script" "$f.answer" ||
    { echo "$1: gateway request failed" >&2; cat "$work/logs/gateway-probe-$1.log" >&2; exit 1; }
  gw_stop
  # nginx ends each logged body with a newline.
  head -c -1 "$work/logs/capture.log" >"$f.request" 2>/dev/null || : >"$f.request"
  floor_steps=()
  if [ -n "$g_script" ]; then
    floor_steps+=("parse:json:$work/unified.json" "write:$v_format:$f.request")
  fi
  [ -n "$v_answer" ] && floor_steps+=("parse:$v_format:$v_answer")
  floor_steps+=("write:json:$f.answer")
}
