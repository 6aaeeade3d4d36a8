//! DataContract XML reading: tolerance (order, blanks, nil, unknowns) and
//! hardening (hostile documents give an error, never a panic).

use crossdock::backends::vehizen::{decode_group, decode_response, CodecError, Format};
use crossdock::unified::{EnumValue, Field, Num};
use crossdock::xml::XmlError;

const HEAD: &str = r#"<CustomerGroupDto xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup">"#;

fn group(
    inner: &str,
) -> Result<
    crossdock::backends::vehizen::Decoded<crossdock::backends::vehizen::wire::CustomerGroupDto>,
    CodecError,
> {
    decode_group(
        Format::Xml,
        format!("{HEAD}{inner}</CustomerGroupDto>").as_bytes(),
    )
}

fn xml_err(body: &str) -> XmlError {
    match decode_group(Format::Xml, body.as_bytes()) {
        Err(CodecError::Xml(e)) => e,
        other => panic!("expected an XML error, got {other:?}"),
    }
}

#[test]
fn any_order_other_prefixes_nil_and_unknowns() {
    let d = group(concat!(
        "<Name>a &amp; b &#x41;&lt;</Name>\n  <Id i:nil=\"true\"/>",
        "<x:Vehicles xmlns:x=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup\" ",
        "xmlns:v=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\">",
        "<v:VehicleLightDto><v:VIN>X</v:VIN><v:Brand>B</v:Brand><v:CameraType>7</v:CameraType>",
        "<v:State>0</v:State><v:Milestone>1E+20</v:Milestone><v:FullName>f</v:FullName>",
        "<v:Extra><deep/></v:Extra></v:VehicleLightDto></x:Vehicles>",
        "<Other>1</Other>",
    ))
    .unwrap();
    let g = d.value;
    assert_eq!(g.name, Field::Value("a & b A<".into()));
    assert_eq!(g.id, Field::Null);
    assert_eq!(g.customer_id, Field::Absent);
    let v = &g.vehicles.value().unwrap()[0];
    assert_eq!(v.vin, Field::Value("X".into()));
    assert_eq!(v.brand, Field::Value("B".into()));
    assert_eq!(v.camera_type, Field::Value(EnumValue::Code(7)));
    assert_eq!(v.state, Field::Value(EnumValue::Name("Active".into())));
    assert_eq!(v.milestone, Field::Value(Num::parse("1e20").unwrap()));
    assert_eq!(v.full_name, Field::Absent);
    assert_eq!(
        d.unknown,
        ["Vehicles.0.FullName", "Vehicles.0.Extra", "Other"]
    );
}

#[test]
fn wrong_namespace_is_unknown_not_matched() {
    let d = group("<Name xmlns=\"urn:other\">x</Name>").unwrap();
    assert_eq!(d.value.name, Field::Absent);
    assert_eq!(d.unknown, ["Name"]);
}

#[test]
fn empty_and_nil_lists() {
    let d = group(
        r#"<Vehicles xmlns:d2p1="http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto" />"#,
    )
    .unwrap();
    assert_eq!(d.value.vehicles, Field::Value(vec![]));
    let d = group(r#"<Vehicles i:nil="true" />"#).unwrap();
    assert_eq!(d.value.vehicles, Field::Null);
}

#[test]
fn bad_values_are_errors() {
    assert!(group("<Vehicles xmlns:d=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"><d:VehicleLightDto><d:IsActive>yes</d:IsActive></d:VehicleLightDto></Vehicles>").is_err());
    assert!(group("<Vehicles xmlns:d=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"><d:VehicleLightDto><d:Milestone>NaN</d:Milestone></d:VehicleLightDto></Vehicles>").is_err());
    assert!(group("<Name><b>x</b></Name>").is_err());
}

#[test]
fn hostile_documents_are_refused() {
    let doctype =
        format!("<!DOCTYPE CustomerGroupDto [<!ENTITY a \"b\">]>{HEAD}</CustomerGroupDto>");
    assert_eq!(xml_err(&doctype), XmlError::Doctype);

    let xxe = format!(
        "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{HEAD}<Name>&xxe;</Name></CustomerGroupDto>"
    );
    assert_eq!(xml_err(&xxe), XmlError::Doctype);
    // The same reference without a DTD: refused, never expanded.
    assert_eq!(
        xml_err(&format!("{HEAD}<Name>&xxe;</Name></CustomerGroupDto>")),
        XmlError::Entity
    );
    assert_eq!(
        xml_err(&format!("{HEAD}<Name i:nil=\"&xxe;\"/></CustomerGroupDto>")),
        XmlError::Entity
    );

    let mut laughs = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&lol{};", i - 1).repeat(10)
        ));
    }
    laughs.push_str(&format!("]>{HEAD}<Name>&lol9;</Name></CustomerGroupDto>"));
    assert_eq!(xml_err(&laughs), XmlError::Doctype);

    let deep = format!(
        "{HEAD}{}{}</CustomerGroupDto>",
        "<Other>".repeat(10_000),
        "</Other>".repeat(10_000)
    );
    assert_eq!(xml_err(&deep), XmlError::TooDeep);

    let mut bad_utf8 = format!("{HEAD}<Name>").into_bytes();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, b'x']);
    bad_utf8.extend_from_slice(b"</Name></CustomerGroupDto>");
    assert!(matches!(
        decode_group(Format::Xml, &bad_utf8),
        Err(CodecError::Xml(XmlError::NotUtf8))
    ));
    let latin1 =
        format!("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>{HEAD}</CustomerGroupDto>");
    assert_eq!(xml_err(&latin1), XmlError::NotUtf8);

    let html =
        "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";
    assert_eq!(xml_err(html), XmlError::Root);
    assert!(decode_response(Format::Xml, html.as_bytes()).is_err());
    let html5 = "<!DOCTYPE html><html><body>Error</body></html>";
    assert_eq!(xml_err(html5), XmlError::Doctype);

    for body in ["", "   ", "<", "<CustomerGroupDto", "not xml", "{\"Id\":1}"] {
        assert!(
            decode_group(Format::Xml, body.as_bytes()).is_err(),
            "{body:?}"
        );
    }
    // Unclosed and mismatched tags, trailing content, undeclared prefix.
    for inner in ["<Name>x</Id>", "<Name>x", "<p:Name>x</p:Name>"] {
        assert!(
            decode_group(Format::Xml, format!("{HEAD}{inner}").as_bytes()).is_err(),
            "{inner}"
        );
    }
    assert!(decode_group(
        Format::Xml,
        format!("{HEAD}</CustomerGroupDto><x/>").as_bytes()
    )
    .is_err());
}

#[test]
fn long_lists_are_bounded() {
    let item = "<d2p1:string>e</d2p1:string>";
    let body = format!(
        "<ResponseDto xmlns=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"><Errors xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\">{}</Errors></ResponseDto>",
        item.repeat(crossdock::xml::MAX_ITEMS + 1)
    );
    assert!(matches!(
        decode_response(Format::Xml, body.as_bytes()),
        Err(CodecError::Xml(XmlError::TooLong))
    ));
}

#[test]
fn error_messages_hold_no_content() {
    let secret = "s3cr3t-token";
    let bodies = [
        format!("{HEAD}<Name>{secret}</Id></CustomerGroupDto>"),
        format!("{HEAD}<Vehicles xmlns:d=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"><d:VehicleLightDto><d:IsActive>{secret}</d:IsActive></d:VehicleLightDto></Vehicles></CustomerGroupDto>"),
    ];
    for body in &bodies {
        let e = decode_group(Format::Xml, body.as_bytes()).unwrap_err();
        assert!(!e.to_string().contains(secret), "{e}");
    }
    let e = decode_group(
        Format::Json,
        format!("{{\"Name\": 5, \"Id\": \"{secret}\" ").as_bytes(),
    )
    .unwrap_err();
    assert!(!e.to_string().contains(secret), "{e}");
    let e = decode_group(
        Format::Json,
        format!("{{\"Vehicles\": [{{\"Milestone\": \"{secret}\"}}]}}").as_bytes(),
    )
    .unwrap_err();
    assert!(!e.to_string().contains(secret), "{e}");
}

#[test]
fn json_unknown_members_are_reported() {
    let d = decode_group(
        Format::Json,
        br#"{"Name":"n","Foo":1,"Vehicles":[{"VIN":"v","Bar":{"x":1}}]}"#,
    )
    .unwrap();
    assert_eq!(d.unknown, ["Foo", "Vehicles.0.Bar"]);
    assert!(decode_group(Format::Json, br#"{"Name":"n"} x"#).is_err());
    assert!(decode_group(Format::Json, b"<html></html>").is_err());
}

/// Found by the `vehizen_xml` fuzz target: a raw NUL in text was read, then
/// written as `&#x0;`, which no XML reader takes back. Raw control
/// characters are not XML 1.0 and are refused on the way in.
#[test]
fn raw_control_characters_are_refused() {
    let sample = include_str!("../fixtures/vehizen/get.xml");
    for bad in ["\u{0}", "\u{1}", "\u{1f}"] {
        let body = sample.replace("sample string 2<", &format!("sample{bad}string 2<"));
        assert!(body.contains(bad));
        assert!(
            decode_group(Format::Xml, body.as_bytes()).is_err(),
            "{bad:?}"
        );
    }
    // Tab, LF and CR stay allowed.
    let body = sample.replace("sample string 2<", "sample\tstring 2<");
    assert!(decode_group(Format::Xml, body.as_bytes()).is_ok());
}
