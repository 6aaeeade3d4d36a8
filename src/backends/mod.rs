//! Vendor backends: one folder each (wire types, codec, mapping, simulator).

pub mod vehizen;
