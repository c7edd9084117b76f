//! The few browser calls the snippet page makes: clipboard, file download, and telling the
//! framing page its height.

use keyless_core::snippets::{Snippet, SnippetError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The browser's `Blob`, declared here to keep web-sys's feature list short.
    type Blob;

    #[wasm_bindgen(constructor, catch)]
    fn new(parts: &js_sys::Array, options: &JsValue) -> Result<Blob, JsValue>;

    #[wasm_bindgen(js_namespace = URL, js_name = createObjectURL, catch)]
    fn create_object_url(blob: &Blob) -> Result<String, JsValue>;

    #[wasm_bindgen(js_namespace = URL, js_name = revokeObjectURL)]
    fn revoke_object_url(url: &str);
}

/// Puts `text` on the clipboard.
pub(super) async fn copy_text(text: &str) -> Result<(), JsValue> {
    let clipboard = window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(drop)
}

/// Saves `text` as a file named `file_name`, through a Blob and a temporary object URL.
pub(super) fn download_text(file_name: &str, text: &str) {
    let save = || -> Result<(), JsValue> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"type".into(), &"text/plain;charset=utf-8".into())?;
        let blob = Blob::new(&js_sys::Array::of1(&text.into()), &options)?;
        let url = create_object_url(&blob)?;
        let link: web_sys::HtmlElement = document().create_element("a")?.unchecked_into();
        link.set_attribute("href", &url)?;
        link.set_attribute("download", file_name)?;
        link.click();
        revoke_object_url(&url);
        Ok(())
    };
    if let Err(error) = save() {
        leptos::logging::warn!("download failed: {error:?}");
    }
}

/// When the page is framed, posts its height to `origin` (never `*`) each time the snippet
/// changes and when the window is resized, so the parent can size the frame.
pub(super) fn report_height(origin: String, snippet: Memo<Option<Result<Snippet, SnippetError>>>) {
    let Ok(Some(parent)) = window().parent() else {
        return;
    };
    if js_sys::Object::is(&parent, &window()) {
        return;
    }
    let origin = StoredValue::new(origin);
    let post = move || {
        let parent = parent.clone();
        request_animation_frame(move || {
            let Some(root) = document().document_element() else {
                return;
            };
            let message = js_sys::Object::new();
            let fields = [
                ("type", JsValue::from("keyless:snippets-height")),
                ("height", root.scroll_height().into()),
            ];
            for (key, value) in fields {
                let _ = js_sys::Reflect::set(&message, &key.into(), &value);
            }
            let _ = parent.post_message(&message, &origin.get_value());
        });
    };
    let on_resize = post.clone();
    Effect::new(move |_| {
        snippet.track();
        post();
    });
    let handle = window_event_listener(leptos::ev::resize, move |_| on_resize());
    on_cleanup(move || handle.remove());
}
