//! The tty's ioctls (`tcgetattr`, `tcsetattr`, the window size) for Emscripten's tty layer,
//! served from the [`TtyBridge`]'s termios settings and the page's terminal size.

use crate::logic::termios::{NCCS, Termios};
use crate::worker::emscripten::EmModule;
use crate::worker::tty_bridge::TtyBridge;
use js_sys::{Array, Object, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The three ioctl operations; they must live as long as the interpreter runs.
pub struct TtyIoctls {
    get: Closure<dyn FnMut(JsValue) -> JsValue>,
    set: Closure<dyn FnMut(JsValue, JsValue, JsValue) -> i32>,
    window_size: Closure<dyn FnMut(JsValue) -> Array>,
}

impl TtyIoctls {
    /// Operations over `bridge`'s settings.
    pub fn new(bridge: &Rc<TtyBridge>) -> Self {
        let b = bridge.clone();
        let get = Closure::new(move |_stream| to_js(&b.termios()));
        let b = bridge.clone();
        let set = Closure::new(move |_tty, _op, termios: JsValue| {
            b.set_termios(from_js(&termios));
            0
        });
        let b = bridge.clone();
        let window_size = Closure::new(move |_tty| {
            let (rows, cols) = b.terminal_size();
            Array::of2(&rows.into(), &cols.into())
        });
        Self { get, set, window_size }
    }

    /// Puts the operations in the tty layer's ops of stdin/stdout (`/dev/tty`) and stderr
    /// (`/dev/tty1`).
    pub fn install(&self, module: &EmModule) -> Result<(), JsValue> {
        let tty = module.tty();
        for name in ["default_tty_ops", "default_tty1_ops"] {
            let ops = Reflect::get(&tty, &name.into())?;
            Reflect::set(&ops, &"ioctl_tcgets".into(), self.get.as_ref())?;
            Reflect::set(&ops, &"ioctl_tcsets".into(), self.set.as_ref())?;
            Reflect::set(&ops, &"ioctl_tiocgwinsz".into(), self.window_size.as_ref())?;
        }
        Ok(())
    }
}

/// The object Emscripten's `ioctl` reads `struct termios` from.
fn to_js(termios: &Termios) -> JsValue {
    let object = Object::new();
    let flags = [
        ("c_iflag", termios.iflag),
        ("c_oflag", termios.oflag),
        ("c_cflag", termios.cflag),
        ("c_lflag", termios.lflag),
    ];
    for (name, value) in flags {
        let _ = Reflect::set(&object, &name.into(), &value.into());
    }
    let cc: Array = termios.cc.iter().map(|&c| JsValue::from(c)).collect();
    let _ = Reflect::set(&object, &"c_cc".into(), &cc);
    object.into()
}

/// `struct termios` as Emscripten's `ioctl` passes it (control characters as signed bytes).
fn from_js(object: &JsValue) -> Termios {
    let number = |name: &str| Reflect::get(object, &name.into()).ok().and_then(|v| v.as_f64());
    let flag = |name: &str| number(name).map_or(0, |v| v as i64 as u32);
    let mut cc = [0u8; NCCS];
    if let Ok(values) = Reflect::get(object, &"c_cc".into()).map(|v| Array::from(&v)) {
        for (slot, value) in cc.iter_mut().zip(values.iter()) {
            *slot = value.as_f64().map_or(0, |v| v as i64 as u8);
        }
    }
    Termios {
        iflag: flag("c_iflag"),
        oflag: flag("c_oflag"),
        cflag: flag("c_cflag"),
        lflag: flag("c_lflag"),
        cc,
    }
}
