pub mod demo_insert;
