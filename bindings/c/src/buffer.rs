//! Owned byte buffers handed to C.

use crate::boundary;

/// Bytes owned by ezla and handed to the caller (a signed document, a certificate, a JSON
/// text). Release with [`ezla_buffer_free`]; never with `free()`. Initialise buffers to
/// `{NULL, 0}`: a function writes one only on success.
///
/// Thread safety: a plain value owned by the caller; the bytes may be read from any
/// thread, and the buffer is freed once.
#[repr(C)]
#[derive(Debug)]
pub struct ezla_buffer {
    /// The bytes (NULL when empty).
    pub data: *mut u8,
    /// Their number.
    pub len: usize,
}

impl ezla_buffer {
    pub(crate) fn from_vec(bytes: Vec<u8>) -> Self {
        if bytes.is_empty() {
            return ezla_buffer {
                data: std::ptr::null_mut(),
                len: 0,
            };
        }
        let boxed: Box<[u8]> = bytes.into_boxed_slice();
        let len = boxed.len();
        ezla_buffer {
            data: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Frees the bytes of a buffer and resets it to `{NULL, 0}`. NULL, or an already-freed
/// buffer, does nothing.
#[unsafe(no_mangle)]
pub extern "C" fn ezla_buffer_free(buffer: *mut ezla_buffer) {
    boundary::getter((), || {
        // SAFETY: NULL is checked; otherwise the caller passes a buffer ezla filled.
        let Some(b) = (unsafe { buffer.as_mut() }) else {
            return;
        };
        if !b.data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(b.data, b.len);
            // SAFETY: data and len came from Box<[u8]>::into_raw in `from_vec` and are freed
            // once (the buffer is reset below).
            drop(unsafe { Box::from_raw(slice) });
        }
        b.data = std::ptr::null_mut();
        b.len = 0;
    })
}
