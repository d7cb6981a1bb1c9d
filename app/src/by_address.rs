//! `ByAddress<T>`: an `Rc` that compares by address.
//!
//! Props and hook dependencies need `PartialEq`. For the model (ten thousand movies) and the
//! memoised predictions, a deep comparison on every render would cost more than it saves,
//! and there is only ever one value per load or per profile, so identity is the right test.

use std::ops::Deref;
use std::rc::Rc;

#[derive(Debug)]
pub struct ByAddress<T>(pub Rc<T>);

impl<T> Clone for ByAddress<T> {
    fn clone(&self) -> Self {
        ByAddress(self.0.clone())
    }
}

impl<T> PartialEq for ByAddress<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for ByAddress<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
