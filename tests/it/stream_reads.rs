//! Streamed reads (`backends::stream`) against the typed path (wire types,
//! mapping, unified model, serde_json): on every input the response body
//! is byte for byte the same (envelope and warnings included), or both
//! fail the same way. Inputs: random documents of every member, the same
//! broken in many ways, arbitrary bytes, every fixture and fuzz seed, and
//! hand-written hostile documents. Clean documents must stream (not fall
//! back), or the fast path would be dead code.

use crate::stream_gen::{fleet, fleet_reads, json, vehizen, xml, Rng};
use crossdock::backends::stream::CategoryRead;
use crossdock::backends::vehizen::sim::fixtures::{
    GET_JSON, GET_XML, PUT_REQUEST_JSON, PUT_REQUEST_XML,
};
use crossdock::backends::vehizen::Format;
use crossdock::backends::PageRequest;
use proptest::collection::vec;
use proptest::prelude::*;
use std::path::Path;

const PAGE: PageRequest = PageRequest {
    number: 1,
    size: 50,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn vehizen_json_groups_stream_byte_equal(seed: u64) {
        let mut rng = Rng::new(seed);
        let j = crate::stream_gen::vehizen::group(&mut rng, false);
        let plain = json::print(&j, &mut rng, false);
        prop_assert!(vehizen(Format::Json, plain.as_bytes()), "clean JSON streams");
        // Blanks and `\u` escapes anywhere.
        let fancy = json::print(&j, &mut rng, true);
        prop_assert!(vehizen(Format::Json, fancy.as_bytes()), "spaced JSON streams");
    }

    #[test]
    fn vehizen_xml_groups_stream_byte_equal(seed: u64) {
        let mut rng = Rng::new(seed);
        let body = crate::stream_gen::vehizen::group_xml(&mut rng);
        prop_assert!(vehizen(Format::Xml, &body), "clean XML streams");
    }

    #[test]
    fn vehizen_json_mutants_agree(seed: u64, rate in 10u64..250) {
        let mut rng = Rng::new(seed);
        let mut j = crate::stream_gen::vehizen::group(&mut rng, false);
        json::mutate(&mut j, &mut rng, rate);
        let body = json::bytes(&j, &mut rng, rate);
        vehizen(Format::Json, &body);
    }

    #[test]
    fn vehizen_xml_mutants_agree(seed: u64, rate in 10u64..250) {
        let mut rng = Rng::new(seed);
        let mut root = xml::parse(&crate::stream_gen::vehizen::group_xml(&mut rng));
        xml::mutate(&mut root, &mut rng, rate, 0);
        let mut body = xml::print(&root, &mut rng, true).into_bytes();
        xml::break_bytes(&mut body, &mut rng, rate / 4);
        vehizen(Format::Xml, &body);
    }

    #[test]
    fn fleet_admin_reads_stream_byte_equal(seed: u64) {
        let mut rng = Rng::new(seed);
        let tree = json::print(&fleet::categories(&mut rng, false), &mut rng, true);
        let one = json::print(&fleet::category(&mut rng, false), &mut rng, true);
        let vehicles = json::print(&fleet::vehicles(&mut rng, false), &mut rng, true);
        let small = PageRequest { number: 2, size: 1 };
        for (read, body) in [
            (CategoryRead::Tree, &tree),
            (CategoryRead::Leaves(PAGE), &tree),
            (CategoryRead::Leaves(small), &tree),
            (CategoryRead::One, &one),
            (CategoryRead::Vehicles(PAGE), &vehicles),
            (CategoryRead::Vehicles(small), &vehicles),
        ] {
            prop_assert!(fleet(read, 200, body.as_bytes()), "clean {read:?} streams");
        }
    }

    #[test]
    fn fleet_admin_mutants_agree(seed: u64, rate in 10u64..250) {
        let mut rng = Rng::new(seed);
        let mut docs = [
            fleet::categories(&mut rng, true),
            fleet::category(&mut rng, true),
            fleet::vehicles(&mut rng, true),
        ];
        for d in docs.iter_mut() {
            json::mutate(d, &mut rng, rate);
        }
        for d in &docs {
            let body = json::bytes(d, &mut rng, rate);
            for read in fleet_reads() {
                fleet(read, 200, &body);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_agree(bytes in vec(any::<u8>(), 0..300)) {
        agree_everywhere(&bytes);
    }
}

/// Every read of both vendors over `body`.
fn agree_everywhere(body: &[u8]) {
    vehizen(Format::Json, body);
    vehizen(Format::Xml, body);
    for read in fleet_reads() {
        for status in [200, 404, 500] {
            fleet(read, status, body);
        }
    }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every fixture (the fuzz seeds come from there, `fuzz/seed.sh`), the
/// seeds `seed.sh` writes itself, and a local fuzz corpus when there is
/// one (`fuzz/corpus/`, not committed).
#[test]
fn every_fixture_and_fuzz_seed_agrees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("tests/fixtures"), &mut files);
    let fixtures = files.len();
    assert!(fixtures > 30, "{fixtures} fixtures");
    files_under(&root.join("fuzz/corpus"), &mut files);
    for f in &files {
        let body = std::fs::read(f).expect("readable");
        agree_everywhere(&body);
    }
    for seed in [
        r#"{"errors":[{"code":4001,"message":"customer is required","field":"customer"}],"warnings":[{"code":1001,"message":"searchForDuplicate is ignored"}]}"#,
        r#"{"warnings":[]}"#,
        r#"{"colour":"red","tags":["a","b"],"n":1.5,"nested":{"x":null}}"#,
        r#"{"Success": false, "ErrorMessage": "err_ElementDoesNotExist"}"#,
    ] {
        agree_everywhere(seed.as_bytes());
    }
}

fn fixture(path: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    std::fs::read(root.join(path)).expect("fixture")
}

/// The docs' samples are the common case: each streams.
#[test]
fn golden_samples_stream() {
    for (format, body) in [
        (Format::Xml, GET_XML),
        (Format::Xml, PUT_REQUEST_XML),
        (Format::Json, GET_JSON),
        (Format::Json, PUT_REQUEST_JSON),
    ] {
        assert!(vehizen(format, body.as_bytes()), "{format:?}");
    }
    let small = PageRequest { number: 2, size: 1 };
    for (read, file) in [
        (CategoryRead::Tree, "fleet_admin/tree.json"),
        (CategoryRead::Tree, "fleet_admin/subtree.json"),
        (CategoryRead::One, "fleet_admin/category.json"),
        (CategoryRead::Leaves(PAGE), "fleet_admin/leaves.json"),
        (CategoryRead::Leaves(small), "fleet_admin/leaves.json"),
        (CategoryRead::Vehicles(PAGE), "fleet_admin/vehicles.json"),
        (CategoryRead::Vehicles(small), "fleet_admin/vehicles.json"),
        (
            CategoryRead::Vehicles(PAGE),
            "fleet_admin/descendant-vehicles.json",
        ),
    ] {
        assert!(fleet(read, 200, &fixture(file)), "{read:?} {file}");
    }
}

const GROUP_NS: &str = "http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup";
const DTO_NS: &str = "http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A group document whose root carries `decls` and holds `inner`.
fn group_xml(decls: &str, inner: &str) -> String {
    format!(
        r#"<CustomerGroupDto xmlns:i="{XSI}" xmlns="{GROUP_NS}"{decls}>{inner}</CustomerGroupDto>"#
    )
}

/// Hostile and tricky XML: each agrees with the typed path; `streams`
/// says whether the stream reads it itself.
#[test]
fn hostile_xml_agrees() {
    let vehicle = |prefix: &str, body: &str| {
        format!(
            r#"<Vehicles xmlns:{prefix}="{DTO_NS}"><{prefix}:VehicleLightDto>{body}</{prefix}:VehicleLightDto></Vehicles>"#
        )
    };
    let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
    let many: String = (0..10_001).map(|_| "<d2p1:VehicleLightDto/>").collect();
    let cases: Vec<(String, bool)> = vec![
        // Refused by the hardened reader: the stream leaves them.
        (format!("<!DOCTYPE x [<!ENTITY e \"boom\">]>{}", group_xml("", "<Name>&e;</Name>")), false),
        (group_xml("", "<Name>&e;</Name>"), false),
        (group_xml("", "<Name>&#0;</Name>"), false),
        (group_xml("", &format!("<Unknown>{deep}</Unknown>")), false),
        (group_xml("", &format!(r#"<Vehicles xmlns:d2p1="{DTO_NS}">{many}</Vehicles>"#)), false),
        (group_xml("", "<Name>a\u{1}b</Name>"), false),
        ("<?xml version=\"1.0\" encoding=\"utf-16\"?><x/>".into(), false),
        (group_xml("", "<q:Name>x</q:Name>"), false),
        (group_xml("", r#"<Name i:type="q:string">x</Name>"#), false),
        (group_xml("", "<Name><b>x</b></Name>"), false),
        (group_xml("", "text"), false),
        (format!("{}<x/>", group_xml("", "")), false),
        (group_xml("", &vehicle("d2p1", "<d2p1:IdWS>1.5.5</d2p1:IdWS>")), false),
        (group_xml("", &vehicle("d2p1", "<d2p1:IsActive>yes</d2p1:IsActive>")), false),
        // Read by both, the same way.
        (group_xml("", ""), true),
        (format!("\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{}\n<!-- end -->", group_xml("", "")), true),
        (group_xml("", "<Name>a &amp; b &#x1F600; <![CDATA[<c>]]><!-- x --></Name><Name>second</Name>"), true),
        (group_xml("", r#"<Name i:nil="true">ignored<x/></Name><Id i:nil="1"/>"#), true),
        (group_xml("", &vehicle("a", "<a:Milestone> 12 </a:Milestone><a:State>+0</a:State><a:CameraType>7</a:CameraType><a:MalfunctionLevel> 0</a:MalfunctionLevel>")), true),
        (group_xml("", &vehicle("d2p1", "<d2p1:Tolerance>1E+20</d2p1:Tolerance><d2p1:IdWS>-0</d2p1:IdWS><d2p1:KmEndOfLease>18446744073709551615</d2p1:KmEndOfLease>")), true),
        // Members in another namespace, or unknown: skipped and reported.
        (group_xml("", r#"<x:Name xmlns:x="urn:other">x</x:Name><Foo/><Name>n</Name>"#), true),
        (group_xml("", &vehicle("d2p1", r#"<d2p1:Brand xmlns:d2p1="urn:rebound">b</d2p1:Brand><d2p1:Extra>1</d2p1:Extra>"#)), true),
        (group_xml("", r#"<Vehicles xmlns:d2p1="urn:wrong"><d2p1:VehicleLightDto/></Vehicles>"#), true),
        (group_xml("", &format!(r#"<Vehicles xmlns:d2p1="{DTO_NS}"><d2p1:VehicleLightDto i:nil="true"/><d2p1:Other/><d2p1:VehicleLightDto/></Vehicles>"#)), true),
        // A prefix bound on the element that uses it; the default
        // namespace changed below the root.
        (group_xml("", &format!(r#"<Vehicles><p:VehicleLightDto xmlns:p="{DTO_NS}"><p:Name>n</p:Name></p:VehicleLightDto></Vehicles>"#)), true),
        (group_xml("", &format!(r#"<Vehicles><VehicleLightDto xmlns="{DTO_NS}"><Name>n</Name></VehicleLightDto></Vehicles>"#)), true),
    ];
    for (doc, streams) in &cases {
        assert_eq!(vehizen(Format::Xml, doc.as_bytes()), *streams, "{doc}");
    }
    // Not UTF-8.
    assert!(!vehizen(
        Format::Xml,
        b"<CustomerGroupDto>\xff</CustomerGroupDto>"
    ));
}

/// Hostile and tricky JSON for both vendors.
#[test]
fn hostile_json_agrees() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let vz: Vec<(String, bool)> = vec![
        (r#"{"Id":"a","Id":"b"}"#.into(), false),
        (r#"{"Vehicles":[{"Name":"a","Name":"b"}]}"#.into(), false),
        (r#"["a","b"]"#.into(), false),
        // serde_json skips an unknown value of any depth (iteratively).
        (format!(r#"{{"Unknown":{deep}}}"#), true),
        (r#"{"Name":"a\ud800"}"#.into(), false),
        ("{\"Name\":\"a\u{1}\"}".into(), false),
        (r#"{"Name":1}"#.into(), false),
        (r#"{"Vehicles":[{"IdWS":"1"}]}"#.into(), false),
        (r#"{"Vehicles":[{"CameraType":1.5}]}"#.into(), false),
        (r#"{"Vehicles":[{"CameraType":9223372036854775808}]}"#.into(), false),
        (r#"{"Vehicles":[{"IdWS":1e400}]}"#.into(), false),
        (r#"{} x"#.into(), false),
        (r#"{}"#.into(), true),
        (r#" {"Unknown":{"a":[1,{"b":2}]},"Unknown":1,"":2} "#.into(), true),
        (r#"{"N\u0061me":"\u00e9\"\\\/","Vehicles":[{"IdWS":-0,"Milestone":1.0,"Tolerance":12.5e+3,"KmEndOfLease":18446744073709551615,"CameraType":0,"State":"Parked","VehicleState":-3,"Foo":{}}]}"#.into(), true),
        (r#"{"Vehicles":[{"ExternalInterfaces":[{"Id":null,"X":1}]},{"Milestone":null}]}"#.into(), true),
    ];
    for (doc, streams) in &vz {
        assert_eq!(vehizen(Format::Json, doc.as_bytes()), *streams, "{doc}");
    }
    // Not UTF-8.
    assert!(!vehizen(Format::Json, b"{\"Name\":\"\xff\"}"));

    let fa: Vec<(CategoryRead, &str, bool)> = vec![
        (CategoryRead::Tree, r#"[{"ID":1,"ID":2}]"#, false),
        (CategoryRead::Tree, r#"null"#, false),
        (CategoryRead::Tree, r#"[{"ID":1.0}]"#, false),
        (CategoryRead::Tree, r#"[{"ID":9223372036854775808}]"#, false),
        (CategoryRead::Tree, r#"[{"Labels":"{\"en\":"}]"#, false),
        (CategoryRead::Tree, r#"[{"Labels":"[\"en\"]"}]"#, false),
        (CategoryRead::Tree, r#"[{"Labels":"{\"en\":[1]}"}]"#, false),
        (
            CategoryRead::Tree,
            r#"[{"Labels":"{\"en\":{\"b\":1,\"a\":2}}"}]"#,
            false,
        ),
        (
            CategoryRead::One,
            r#"{"Success":false,"ErrorMessage":"err_InvalidElement"}"#,
            false,
        ),
        (CategoryRead::Tree, r#"[]"#, true),
        (
            CategoryRead::Tree,
            r#"[{"ID":-9223372036854775808,"Labels":" { \"en\" : \"City\\u0020Car\", \"en\": 5, \"x\": null, \"y\": 1.50, \"z\": true } ","Children":[{"Children":null,"Foo":1}],"Bar":[]}]"#,
            true,
        ),
        (
            CategoryRead::One,
            r#"{"ID":1,"Labels":"{}","Success2":true}"#,
            true,
        ),
        (
            CategoryRead::Vehicles(PAGE),
            r#"[{"ID":1,"CategoryTree":{"ID":2,"Odd":1},"Status":{"X":1},"Devices":[{"Y":2}],"Groups":["a"],"Latitude":null}]"#,
            true,
        ),
        (
            CategoryRead::Leaves(PageRequest { number: 3, size: 2 }),
            r#"[{"ID":1},{"ID":2},{"ID":3},{"ID":4},{"ID":5,"U":1}]"#,
            true,
        ),
    ];
    for (read, doc, streams) in fa {
        assert_eq!(fleet(read, 200, doc.as_bytes()), streams, "{read:?} {doc}");
    }
}
