//! Fleet-admin answers from the vendor page's member lists (written here
//! by hand, apart from the gateway's tables): categories at any depth,
//! vehicles with devices, status and a category tree, `Labels` texts
//! spelled in every way JSON allows.

use super::json::{self, J};
use super::Rng;

#[derive(Clone, Copy)]
enum T {
    Int,
    Num,
    Str,
    Time,
    Guid,
    Bool,
    Enum,
    Labels,
    Strs,
    Category,
    Categories,
    Devices,
    Status,
}

const CATEGORY: &[(&str, T)] = &[
    ("ID", T::Int),
    ("ParentID", T::Int),
    ("Labels", T::Labels),
    ("Children", T::Categories),
    ("Guid", T::Guid),
    ("ParentGuid", T::Guid),
    ("Originator", T::Guid),
    ("DeletionDate", T::Time),
    ("CreatedDate", T::Time),
    ("Manufacturer", T::Str),
    ("Model", T::Str),
    ("Year", T::Num),
    ("PassengerSeats", T::Num),
    ("Image", T::Str),
    ("ImageThumbnail", T::Str),
    ("IsRoot", T::Bool),
];

const DEVICE: &[(&str, T)] = &[
    ("ID", T::Num),
    ("SerialNumber", T::Str),
    ("LastDeviceSync", T::Time),
];

const STATUS: &[(&str, T)] = &[
    ("CurrentReservationEnd", T::Time),
    ("CurrentReservationMaxStart", T::Time),
    ("CurrentReservationMinStart", T::Time),
    ("LastDeviceSync", T::Time),
    ("LastMaintenanceEnd", T::Time),
    ("LastMaintenanceStart", T::Time),
    ("LastMotion", T::Time),
    ("LastPositionUpdate", T::Time),
    ("LastTripEnd", T::Time),
    ("LastTripStart", T::Time),
    ("FuelLevelPct", T::Num),
    ("ServiceBattery", T::Num),
    ("LastNetworkSignalStrengthPct", T::Num),
    ("AdminOperativeStatus", T::Bool),
    ("SystemOperativeStatus", T::Bool),
    ("IsLowFuel", T::Bool),
    ("IsLowEVB", T::Bool),
    ("IsLostContact", T::Bool),
    ("IsPositionLost", T::Bool),
    ("IsReserved", T::Bool),
    ("IsOnTrip", T::Bool),
    ("IsOnTripAndMoving", T::Bool),
    ("IsWithoutTripsForLong", T::Bool),
    ("IsInMaintenance", T::Bool),
    ("IsInternetWeak", T::Bool),
];

const VEHICLE: &[(&str, T)] = &[
    ("ID", T::Int),
    ("LicensePlate", T::Str),
    ("VIN", T::Str),
    ("Sticker", T::Str),
    ("LastSetOperativeBy", T::Str),
    ("IsOperative", T::Bool),
    ("AdminOperativeStatus", T::Bool),
    ("SystemOperativeStatus", T::Bool),
    ("SystemOperativeReason", T::Str),
    ("OverriddenSystemOperativeStatus", T::Bool),
    ("ForcedOperativeBy", T::Str),
    ("Notes", T::Str),
    ("CategoryLabels", T::Labels),
    ("CategoryID", T::Int),
    ("CategoryTree", T::Category),
    ("Devices", T::Devices),
    ("NominalGarage", T::Str),
    ("NominalGarageID", T::Num),
    ("RecoveringGarage", T::Str),
    ("RecoveringGarageID", T::Num),
    ("Latitude", T::Num),
    ("Longitude", T::Num),
    ("LastPositionUpdate", T::Time),
    ("Groups", T::Strs),
    ("CurrentTripGuid", T::Guid),
    ("DeviceID", T::Num),
    ("LastDeviceSync", T::Time),
    ("LastNetworkSignalStrengthPct", T::Num),
    ("EngineType", T::Enum),
    ("FuelTankCapacity", T::Num),
    ("FuelLevelPct", T::Num),
    ("EVBLevelPct", T::Num),
    ("OdometerKm", T::Num),
    ("LastOdometerReading", T::Time),
    ("IsDamaged", T::Bool),
    ("Status", T::Status),
    ("InternalCleaningStatus", T::Enum),
    ("ExternalCleaningStatus", T::Enum),
    ("IgnitionVoltageLevel", T::Num),
];

fn text(rng: &mut Rng) -> String {
    let pool = [
        "City Car",
        "Kühlwagen \"XL\"",
        "冷蔵車",
        "a\\b",
        "tab\there",
        "😀",
        "",
        "\u{1}",
    ];
    (*rng.pick(&pool)).to_owned()
}

fn number(rng: &mut Rng) -> J {
    J::Num(match rng.below(4) {
        0 => (rng.next() as i64).to_string(),
        1 => rng.below(1000).to_string(),
        2 => {
            let f = (rng.next() as i64 as f64) / 1e6;
            serde_json::to_string(&f).unwrap()
        }
        _ => (*rng.pick(&["0.5", "41.775761", "12.245980000000003", "1e3", "-0.0"])).to_owned(),
    })
}

/// A `Labels` object's text: language -> text, sometimes a number, null
/// or (rarely) a nested value the stream leaves to the typed path.
fn labels(rng: &mut Rng, wild: bool) -> String {
    let n = rng.below(4);
    let mut members = Vec::new();
    for _ in 0..n {
        let lang = (*rng.pick(&["en", "it", "de", "ja", "en-GB", "e\"n"])).to_owned();
        let v = match rng.below(20) {
            0 => J::Num("5".into()),
            1 => J::Null,
            2 => J::Bool(true),
            3 if wild => J::Arr(vec![J::Str("a".into())]),
            4 if wild => J::Obj(vec![("b".into(), J::Num("1".into()))]),
            _ => J::Str(text(rng)),
        };
        members.push((lang, v));
    }
    let fancy = rng.chance(300);
    json::print(&J::Obj(members), rng, fancy)
}

fn value(t: T, rng: &mut Rng, depth: usize, wild: bool) -> J {
    match t {
        T::Int => J::Num(match rng.below(3) {
            0 => rng.below(100).to_string(),
            1 => (rng.next() as i64).to_string(),
            _ => (*rng.pick(&["9223372036854775807", "-9223372036854775808"])).to_owned(),
        }),
        T::Num => number(rng),
        T::Str => J::Str(text(rng)),
        T::Time => J::Str("2019-09-18T04:14:23Z".into()),
        T::Guid => J::Str("32b297a5-8180-420f-9482-84bfc7f55efe".into()),
        T::Bool => J::Bool(rng.chance(500)),
        T::Enum => {
            if rng.chance(700) {
                J::Num(rng.below(5).to_string())
            } else {
                J::Str("Diesel".into())
            }
        }
        T::Labels => J::Str(labels(rng, wild)),
        T::Strs => J::Arr(
            (0..rng.below(3))
                .map(|_| J::Str("53155c4a-b2a0-412f-ab41-552d9ccdf784".into()))
                .collect(),
        ),
        T::Category => object(CATEGORY, rng, depth + 1, wild),
        T::Categories => J::Arr(
            (0..rng.below(if depth < 3 { 3 } else { 1 }))
                .map(|_| object(CATEGORY, rng, depth + 1, wild))
                .collect(),
        ),
        T::Devices => J::Arr(
            (0..rng.below(3))
                .map(|_| object(DEVICE, rng, depth + 1, wild))
                .collect(),
        ),
        T::Status => object(STATUS, rng, depth + 1, wild),
    }
}

/// An object of `members`, each absent, null or a value, in the vendor's
/// order.
fn object(members: &[(&str, T)], rng: &mut Rng, depth: usize, wild: bool) -> J {
    let mut out = Vec::new();
    for (name, t) in members {
        match rng.below(10) {
            0..=2 => {}
            3 => out.push(((*name).to_owned(), J::Null)),
            _ => out.push(((*name).to_owned(), value(*t, rng, depth, wild))),
        }
    }
    J::Obj(out)
}

/// One category. `wild` lets `Labels` hold arrays and objects (which the
/// stream leaves to the typed path).
pub fn category(rng: &mut Rng, wild: bool) -> J {
    object(CATEGORY, rng, 0, wild)
}

pub fn categories(rng: &mut Rng, wild: bool) -> J {
    J::Arr((0..rng.below(4)).map(|_| category(rng, wild)).collect())
}

pub fn vehicles(rng: &mut Rng, wild: bool) -> J {
    J::Arr(
        (0..rng.below(4))
            .map(|_| object(VEHICLE, rng, 0, wild))
            .collect(),
    )
}
