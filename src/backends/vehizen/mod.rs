//! Vehizen fleet telematics (ASP.NET Web API): customer groups, JSON and
//! DataContract XML.
