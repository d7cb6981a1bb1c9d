//! Side effects the hooks call: network, storage, the document. No Yew in here.

pub mod dom;
pub mod fetch;
pub mod offline;
pub mod storage;
