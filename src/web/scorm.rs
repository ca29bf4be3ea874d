//! Finding the LMS's SCORM 1.2 API (`window.API`) and calling it. The search follows the
//! specification's algorithm (RTE 3.3.6.1): this window, then up its parents (at most 10), then
//! the window that opened it and its parents. A parent from another origin cannot be read: it
//! is skipped, never an error.

use crate::lms::scorm12::Scorm12Api;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// How far up the frames the API is looked for.
const MAX_FRAME_DEPTH: usize = 10;

/// The SCORM 1.2 API object an LMS put in a parent frame.
#[derive(Clone)]
pub struct WebScormApi(JsValue);

fn api_of(window: &JsValue) -> Option<JsValue> {
    // Reading a property of a cross-origin window throws: that window has no API for us.
    let api = Reflect::get(window, &JsValue::from_str("API")).ok()?;
    let has = |name: &str| Reflect::get(&api, &JsValue::from_str(name)).ok().is_some_and(|f| f.is_function());
    (has("LMSInitialize") && has("LMSSetValue")).then_some(api)
}

fn parent_of(window: &JsValue) -> Option<JsValue> {
    let parent = Reflect::get(window, &JsValue::from_str("parent")).ok()?;
    (!parent.is_undefined() && !parent.is_null() && !js_sys::Object::is(&parent, window)).then_some(parent)
}

fn search_up(mut window: JsValue) -> Option<JsValue> {
    for _ in 0..=MAX_FRAME_DEPTH {
        if let Some(api) = api_of(&window) {
            return Some(api);
        }
        window = parent_of(&window)?;
    }
    None
}

impl WebScormApi {
    /// The LMS's API, if the player runs inside a SCORM 1.2 LMS.
    pub fn find() -> Option<WebScormApi> {
        let window: JsValue = super::window()?.into();
        search_up(window.clone())
            .or_else(|| {
                let opener = Reflect::get(&window, &JsValue::from_str("opener")).ok()?;
                (!opener.is_null() && !opener.is_undefined()).then_some(opener).and_then(search_up)
            })
            .map(WebScormApi)
    }

    fn call(&self, name: &str, args: &[&str]) -> String {
        let Some(function) =
            Reflect::get(&self.0, &JsValue::from_str(name)).ok().and_then(|f| f.dyn_into::<Function>().ok())
        else {
            return String::new();
        };
        let result = match args {
            [] => function.call0(&self.0),
            [a] => function.call1(&self.0, &JsValue::from_str(a)),
            [a, b, ..] => function.call2(&self.0, &JsValue::from_str(a), &JsValue::from_str(b)),
        };
        // Some LMSs answer booleans or numbers instead of the strings of the specification.
        match result {
            Ok(value) => value
                .as_string()
                .or_else(|| value.as_bool().map(|b| b.to_string()))
                .unwrap_or_else(|| value.as_f64().map(|n| n.to_string()).unwrap_or_default()),
            Err(_) => String::new(),
        }
    }
}

impl Scorm12Api for WebScormApi {
    fn initialize(&mut self) -> bool {
        self.call("LMSInitialize", &[""]) == "true"
    }

    fn get_value(&mut self, element: &str) -> String {
        self.call("LMSGetValue", &[element])
    }

    fn set_value(&mut self, element: &str, value: &str) -> bool {
        self.call("LMSSetValue", &[element, value]) == "true"
    }

    fn commit(&mut self) -> bool {
        self.call("LMSCommit", &[""]) == "true"
    }

    fn finish(&mut self) -> bool {
        self.call("LMSFinish", &[""]) == "true"
    }

    fn last_error(&mut self) -> (String, String) {
        let code = self.call("LMSGetLastError", &[]);
        let description = self.call("LMSGetErrorString", &[&code]);
        (code, description)
    }
}
