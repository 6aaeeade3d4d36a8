//! The query string of a customer write: the vendors' request options
//! (`?companyId=`, `?validateVin=`), read against every option some vendor
//! declares ([`crate::backends::query_options`]) and passed to the backends
//! as they are; each adapter takes its own. The query is as long as the
//! server lets a request head be.

use super::refused::Refused;
use crate::backends::{options, query_options, QueryOptions};
use axum::extract::Query;
use http::Uri;

/// The vendor options of `query`: 400 for a query that cannot be read, and
/// for any option unknown to every vendor, repeated when single-valued, or
/// of the wrong kind (naming each).
pub fn vendor_options(query: Option<&str>) -> Result<QueryOptions, Refused> {
    let Some(q) = query.filter(|q| !q.is_empty()) else {
        return Ok(QueryOptions::default());
    };
    let uri = format!("/?{q}")
        .parse::<Uri>()
        .map_err(|_| Refused::MalformedQuery)?;
    let Query(pairs) =
        Query::<Vec<(String, String)>>::try_from_uri(&uri).map_err(|_| Refused::MalformedQuery)?;
    options::read(&pairs, query_options()).map_err(Refused::Options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::{bokamera, department};

    #[test]
    fn options_from_the_query() {
        let o = vendor_options(Some(
            "requesterUserUUID=u%201&dealerUUIDList=a,b&dealerUUIDList=c&validateVin=false&searchForDuplicate=true&companyId=0f8fad5b-d9cb-469f-a165-70867728950e",
        ))
        .unwrap();
        assert_eq!(
            o.text(&department::adapter::REQUESTER_USER_UUID),
            Some("u 1")
        );
        assert_eq!(
            o.list(&department::adapter::DEALER_UUID_LIST),
            Some(&["a".to_string(), "b".into(), "c".into()][..])
        );
        assert_eq!(o.bool(&department::adapter::VALIDATE_VIN), Some(false));
        assert_eq!(
            o.bool(&department::adapter::SEARCH_FOR_DUPLICATE),
            Some(true)
        );
        assert!(o.guid(&bokamera::COMPANY_ID).is_some());
        assert_eq!(vendor_options(None).unwrap(), QueryOptions::default());
        assert_eq!(
            vendor_options(Some("dealerUUIDList="))
                .unwrap()
                .list(&department::adapter::DEALER_UUID_LIST),
            Some(&[][..])
        );
    }

    #[test]
    fn bad_options_are_named() {
        let Err(Refused::Options(e)) = vendor_options(Some(
            "validateVin=yes&companyId=x&bogus=1&requesterUserUUID=a&requesterUserUUID=b",
        )) else {
            panic!("not refused as options");
        };
        let fields: Vec<_> = e.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(
            fields,
            ["validateVin", "companyId", "bogus", "requesterUserUUID"]
        );
        assert_eq!(
            e[2].message,
            "unknown query parameter bogus; known: requesterUserUUID, dealerUUIDList, validateVin, searchForDuplicate, companyId"
        );
    }

    /// The OpenAPI document lists exactly the options vendors declare, each
    /// with a schema of its kind: a vendor's new option cannot reach
    /// callers undocumented, nor a documented one go unread.
    #[test]
    fn openapi_documents_every_vendor_option() {
        use crate::backends::OptionKind;
        let doc: serde_json::Value = serde_json::from_str(super::super::OPENAPI_JSON).unwrap();
        let params = doc["paths"]["/v1/customers/{id}"]["put"]["parameters"]
            .as_array()
            .unwrap();
        let mut documented = Vec::new();
        for p in params {
            let name = p["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
            let p = &doc["components"]["parameters"][name];
            if p["in"] == "query" {
                documented.push((p["name"].as_str().unwrap(), p["schema"].clone()));
            }
        }
        let declared = query_options();
        assert_eq!(
            documented.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            declared.iter().map(|o| o.name).collect::<Vec<_>>()
        );
        for ((name, schema), spec) in documented.iter().zip(declared) {
            let ok = match spec.kind {
                OptionKind::Text => schema["type"] == "string",
                OptionKind::List => schema["type"] == "array",
                OptionKind::Bool => schema["type"] == "boolean",
                OptionKind::Guid => schema["$ref"] == "#/components/schemas/Guid",
            };
            assert!(ok, "{name}: {schema} is not a {:?}", spec.kind);
        }
    }
}
