//! The few browser facilities sign-in uses: this tab's sessionStorage, randomness, the address.

use keyless_core::auth::{AuthError, Entropy, ReturnPath};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::JsValue;
use web_sys::Storage;

fn window() -> Result<web_sys::Window, AuthError> {
    web_sys::window().ok_or_else(|| AuthError::Browser("access to the window".into()))
}

/// sessionStorage: per tab, gone when the tab closes, never shared with other tabs.
fn tab_storage() -> Result<Storage, AuthError> {
    window()?
        .session_storage()
        .ok()
        .flatten()
        .ok_or_else(|| AuthError::Browser("session storage".into()))
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), AuthError> {
    let text = serde_json::to_string(value).expect("sign-in records serialise");
    tab_storage()?
        .set_item(key, &text)
        .map_err(|_| AuthError::Browser("session storage".into()))
}

/// The stored value, if any and readable; an unreadable one is treated as absent.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = tab_storage().ok()?.get_item(key).ok()??;
    serde_json::from_str(&text).ok()
}

/// Reads and removes: request state must be usable once only.
pub fn take<T: DeserializeOwned>(key: &str) -> Option<T> {
    let value = load(key);
    if let Ok(storage) = tab_storage() {
        let _ = storage.remove_item(key);
    }
    value
}

/// Forgets everything this tab stored, the wizard's state included.
pub fn clear_tab_storage() {
    if let Ok(storage) = tab_storage() {
        let _ = storage.clear();
    }
}

pub fn random_bytes() -> Result<Entropy, AuthError> {
    let mut bytes = [0; 96];
    window()?
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut bytes))
        .map_err(|_| AuthError::Browser("secure random numbers".into()))?;
    Ok(bytes)
}

fn location() -> Result<web_sys::Location, AuthError> {
    Ok(window()?.location())
}

/// The app path the user is on, to come back to after a sign-in redirect.
pub fn current_path() -> ReturnPath {
    let path = location().map(|location| {
        let read = |part: Result<String, JsValue>| part.unwrap_or_default();
        read(location.pathname()) + &read(location.search())
    });
    path.ok()
        .and_then(|path| ReturnPath::parse(&path))
        .unwrap_or_default()
}

/// The address's `#...` part, empty when there is none.
pub fn fragment() -> String {
    location()
        .ok()
        .and_then(|location| location.hash().ok())
        .unwrap_or_default()
}

/// Takes the fragment out of the address bar, leaving no trace of it in history.
pub fn remove_fragment() {
    let path = current_path();
    if let Some(history) = web_sys::window().and_then(|window| window.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path.as_str()));
    }
}

/// Leaves the app for `url` (Entra's sign-in page).
pub fn go_to(url: &str) -> Result<(), AuthError> {
    location()?
        .set_href(url)
        .map_err(|_| AuthError::Browser("navigation to the sign-in page".into()))
}

/// Milliseconds since the epoch, the clock token expiry is measured with.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
