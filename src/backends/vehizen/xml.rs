//! Vehizen DataContract XML: the group and response documents (the
//! group's member table, the envelope); vehicles are in `xml_vehicle.rs`,
//! what every DTO shares in `xml_members.rs`.
//!
//! Written exactly as the vendor samples (compact: no declaration, no
//! indentation); read namespace-aware and in any order.

use crate::xml::number::write_num;
use crate::xml::{Child, UnknownPaths, XmlError, XmlReader, XmlWriter, NS_ARRAYS, NS_XSD};

use super::response::{ResponseData, ResponseDto};
use super::wire::CustomerGroupDto;
use super::xml_members::{
    member, read_bool, read_list, read_members, write_list, write_members, Member, Prefixes,
    NS_DTO, NS_GROUP,
};
use super::xml_vehicle::{read_vehicles, write_vehicles};

/// A bare `CustomerGroupDto` document.
const ROOT: Prefixes = Prefixes {
    group: "",
    veh_decl: " xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"",
    veh: "d2p1:",
    ext_decl: " xmlns:d4p1=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.ExternalInterface\"",
    ext: "d4p1:",
};

/// A `CustomerGroupDto` in `ResponseDto.Data` (declared there as `d2p1`).
const IN_DATA: Prefixes = Prefixes {
    group: "d2p1:",
    veh_decl: " xmlns:d3p1=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"",
    veh: "d3p1:",
    ext_decl: " xmlns:d5p1=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.ExternalInterface\"",
    ext: "d5p1:",
};

const GROUP_ROOT_ATTRS: &str = " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" \
     xmlns=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup\"";
const RESPONSE_ROOT_ATTRS: &str = " xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" \
     xmlns=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto\"";
const DATA_GROUP_ATTRS: &str = " i:type=\"d2p1:CustomerGroupDto\" \
     xmlns:d2p1=\"http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup\"";
const ERRORS_ATTRS: &str =
    " xmlns:d2p1=\"http://schemas.microsoft.com/2003/10/Serialization/Arrays\"";

/// `CustomerGroupDto`: one group, ordinal order.
pub const GROUP: &[Member<CustomerGroupDto>] = &[
    member!(group, "CustomerId", customer_id, str),
    member!(group, "Id", id, str),
    member!(group, "Name", name, str),
    member!(group, "ProfilEcoDriveId", profil_eco_drive_id, str),
    Member {
        name: "Vehicles",
        write: |w, p, v| write_vehicles(w, p, &v.vehicles),
        read: |r, el, p, v, u| {
            v.vehicles = read_vehicles(r, el, p, u)?;
            Ok(())
        },
    },
];

/// Rough size of one vehicle in XML, to size the output buffer once.
const VEHICLE_XML_BYTES: usize = 3_000;

pub fn encode_group(g: &CustomerGroupDto) -> Vec<u8> {
    let n = g.vehicles.value().map_or(0, Vec::len);
    let mut w = XmlWriter::with_capacity(600 + n * VEHICLE_XML_BYTES);
    w.start("", "CustomerGroupDto", GROUP_ROOT_ATTRS);
    write_members(&mut w, &ROOT, GROUP, g);
    w.end("", "CustomerGroupDto");
    w.into_bytes()
}

pub fn decode_group(body: &[u8]) -> Result<(CustomerGroupDto, Vec<String>), XmlError> {
    let mut r = XmlReader::new(body)?;
    let mut u = UnknownPaths::default();
    let root = r.root(NS_GROUP, "CustomerGroupDto")?;
    let g = read_members(&mut r, &root, NS_GROUP, &ROOT, GROUP, &mut u)?;
    r.finish()?;
    Ok((g, u.found))
}

pub fn encode_response(resp: &ResponseDto) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(512);
    w.start("", "ResponseDto", RESPONSE_ROOT_ATTRS);
    write_data(&mut w, &resp.data);
    write_list(
        &mut w,
        ("", "Errors", ERRORS_ATTRS),
        &resp.errors,
        |w, e| {
            w.start("d2p1:", "string", "");
            w.text(e);
            w.end("d2p1:", "string");
        },
    );
    w.bool_field("", "IsValid", &resp.is_valid);
    w.end("", "ResponseDto");
    w.into_bytes()
}

fn write_data(w: &mut XmlWriter, data: &ResponseData) {
    const XSD: &str = " xmlns:d2p1=\"http://www.w3.org/2001/XMLSchema\"";
    let typed = |w: &mut XmlWriter, ty: &str, text: &str| {
        w.start("", "Data", &format!(" i:type=\"d2p1:{ty}\"{XSD}"));
        w.text(text);
        w.end("", "Data");
    };
    match data {
        ResponseData::Absent => {}
        ResponseData::Null | ResponseData::Other(serde_json::Value::Null) => w.nil("", "Data"),
        ResponseData::Empty => w.empty("", "Data", ""),
        ResponseData::Group(g) => {
            w.start("", "Data", DATA_GROUP_ATTRS);
            write_members(w, &IN_DATA, GROUP, g);
            w.end("", "Data");
        }
        ResponseData::Text(t) => typed(w, "string", t),
        ResponseData::Other(serde_json::Value::Bool(b)) => {
            typed(w, "boolean", if *b { "true" } else { "false" })
        }
        ResponseData::Other(serde_json::Value::Number(n)) => {
            let num = crate::unified::Num(n.clone());
            let mut text = Vec::new();
            write_num(&mut text, &num);
            let ty = if num.is_integer() { "long" } else { "double" };
            typed(w, ty, std::str::from_utf8(&text).unwrap_or("0"));
        }
        // Arrays and objects have no DataContract form here.
        ResponseData::Other(_) => w.empty("", "Data", ""),
    }
}

pub fn decode_response(body: &[u8]) -> Result<(ResponseDto, Vec<String>), XmlError> {
    let mut r = XmlReader::new(body)?;
    let mut u = UnknownPaths::default();
    let root = r.root(NS_DTO, "ResponseDto")?;
    let mut resp = ResponseDto::default();
    while let Some(el) = r.next_child(&root, NS_DTO)? {
        match el.name() {
            b"Data" => resp.data = read_data(&mut r, &el, &mut u)?,
            b"Errors" => {
                resp.errors = read_list(
                    &mut r,
                    &el,
                    (NS_ARRAYS, "string", "Errors"),
                    &mut u,
                    |r, it, _| Ok(r.text(it)?.into_owned()),
                )?
            }
            b"IsValid" => resp.is_valid = read_bool(&mut r, &el)?,
            _ => {
                u.report(&el.report_name());
                r.skip(&el)?;
            }
        }
    }
    r.finish()?;
    Ok((resp, u.found))
}

fn read_data<'a>(
    r: &mut XmlReader<'a>,
    el: &Child<'a>,
    u: &mut UnknownPaths,
) -> Result<ResponseData, XmlError> {
    if el.nil {
        r.skip(el)?;
        return Ok(ResponseData::Null);
    }
    let Some((ns, ty)) = &el.xsi_type else {
        let text = r.text(el)?;
        return Ok(if text.is_empty() {
            ResponseData::Empty
        } else {
            ResponseData::Text(text.into_owned())
        });
    };
    if ns == NS_GROUP && ty == "CustomerGroupDto" {
        u.push_name("Data");
        let g = read_members(r, el, NS_GROUP, &IN_DATA, GROUP, u)?;
        u.pop();
        return Ok(ResponseData::Group(Box::new(g)));
    }
    if ns == NS_XSD {
        let number = matches!(
            ty.as_str(),
            "int"
                | "long"
                | "short"
                | "byte"
                | "unsignedInt"
                | "unsignedLong"
                | "unsignedShort"
                | "unsignedByte"
                | "double"
                | "float"
                | "decimal"
        );
        if ty == "string" {
            return Ok(ResponseData::Text(r.text(el)?.into_owned()));
        } else if ty == "boolean" {
            let b = crate::xml::read::parse_bool(&r.text(el)?).ok_or(XmlError::Value("boolean"))?;
            return Ok(ResponseData::Other(b.into()));
        } else if number {
            let n = crate::unified::Num::parse(&r.text(el)?).ok_or(XmlError::Value("number"))?;
            return Ok(ResponseData::Other(serde_json::Value::Number(n.0)));
        }
    }
    // A type this gateway does not know: skipped and reported.
    u.report("Data");
    r.skip(el)?;
    Ok(ResponseData::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_group_table_is_in_ordinal_order() {
        super::super::xml_members::assert_ordinal(GROUP);
        assert_eq!(GROUP.last().map(|m| m.name), Some("Vehicles"));
    }
}
