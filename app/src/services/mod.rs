//! Side effects the hooks call: network, storage, files, the document. No Yew in here.

pub mod dom;
pub mod fetch;
pub mod files;
pub mod offline;
pub mod storage;
pub mod streams;
