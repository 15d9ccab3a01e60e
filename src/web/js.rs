//! Plain JS objects built from Rust: one small builder instead of a `Reflect::set` per field.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// A JS object under construction; every setter returns it, so fields read as one list.
pub struct JsObject(Object);

impl JsObject {
    pub fn new() -> JsObject {
        JsObject(Object::new())
    }

    pub fn value(self, key: &str, value: impl Into<JsValue>) -> JsObject {
        // Setting a property on a plain, unfrozen object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(key), &value.into());
        self
    }

    pub fn number(self, key: &str, value: f64) -> JsObject {
        self.value(key, JsValue::from_f64(value))
    }

    pub fn string(self, key: &str, value: &str) -> JsObject {
        self.value(key, JsValue::from_str(value))
    }
}

impl From<JsObject> for JsValue {
    fn from(object: JsObject) -> JsValue {
        object.0.into()
    }
}
